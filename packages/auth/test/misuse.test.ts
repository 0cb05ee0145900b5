import { describe, expect, it } from "vitest";
import { AuthError } from "../src/errors.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

const t = useAuth();

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

async function failure(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error; // a raw database error fails the test as itself
  }
  throw new Error("expected an AuthError");
}

const signedIn = () => t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });

describe("a library user's mistakes give typed errors, never SQL errors", () => {
  it("getBearerToken for an unknown user is NOT_FOUND, not a foreign-key violation", async () => {
    const error = await failure(t.auth.getBearerToken({ id: UNKNOWN_ID }));
    expect(error.code).toBe("NOT_FOUND");
  });

  it("getBearerToken with an id that is not a UUID is INVALID_INPUT naming it, not a cast error", async () => {
    const { user } = await signedIn();
    const badSession = await failure(t.auth.getBearerToken(user, { sessionId: "not-a-uuid" }));
    expect([badSession.code, badSession.fieldErrors]).toEqual(["INVALID_INPUT", { sessionId: [expect.any(String)] }]);
    const badUser = await failure(t.auth.getBearerToken({ id: "42" }));
    expect([badUser.code, badUser.fieldErrors]).toEqual(["INVALID_INPUT", { "user.id": [expect.any(String)] }]);
    // An unknown session, or another user's, was already refused as no longer usable.
    expect((await failure(t.auth.getBearerToken(user, { sessionId: UNKNOWN_ID }))).code).toBe("SESSION_REVOKED");
  });

  it("logout, listSessions and revokeSession refuse a malformed id with INVALID_INPUT", async () => {
    const { user, session } = await signedIn();
    expect((await failure(t.auth.logout({ id: "junk", userId: user.id }))).code).toBe("INVALID_INPUT");
    expect((await failure(t.auth.logout({ id: session.id, userId: "junk" }, { everywhere: true }))).code).toBe("INVALID_INPUT");
    expect((await failure(t.auth.listSessions("junk"))).code).toBe("INVALID_INPUT");
    expect((await failure(t.auth.revokeSession("junk", session.id))).code).toBe("INVALID_INPUT");
    // The session id is the client's choice: junk there is just not one of the user's sessions.
    expect((await failure(t.auth.revokeSession(user.id, "junk"))).code).toBe("NOT_FOUND");
    // Unknown but well-formed ids are simply nothing to act on.
    expect(await t.auth.logout({ id: UNKNOWN_ID, userId: user.id })).toBe(0);
    expect(await t.auth.listSessions(UNKNOWN_ID)).toEqual([]);
  });

  it("changePassword and deleteUser refuse a malformed user or session id with INVALID_INPUT", async () => {
    const { user, session } = await signedIn();
    const input = { currentPassword: PASSWORD, newPassword: "another passphrase" };
    expect((await failure(t.auth.changePassword({ user: { ...user, id: "junk" }, session }, input))).code).toBe("INVALID_INPUT");
    expect((await failure(t.auth.changePassword({ user, session: { id: "junk" } }, input))).code).toBe("INVALID_INPUT");
    expect((await failure(t.auth.deleteUser({ user: { ...user, id: "junk" }, session }, { password: PASSWORD }))).code).toBe(
      "INVALID_INPUT",
    );
    // Nothing changed: the password still works.
    await expect(t.auth.signin({ email: user.email, password: PASSWORD })).resolves.toBeDefined();
  });
});
