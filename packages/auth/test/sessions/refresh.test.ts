import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { refreshTokens } from "../../src/database/schema.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

const signIn = () => t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });

async function liveTokens(sessionId: string) {
  return t.database.db
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.sessionId, sessionId), isNull(refreshTokens.rotatedAt)));
}

describe("refresh", () => {
  it("rotates on every use: a new refresh token and a new access token for the same session", async () => {
    const first = await signIn();
    t.clock.advance(1);
    const second = await t.auth.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.session.id).toBe(first.session.id);
    expect(second.user).toEqual(first.user);
    expect(await liveTokens(first.session.id)).toHaveLength(1);
    const third = await t.auth.refresh(second.refreshToken);
    expect(third.session.id).toBe(first.session.id);
  });

  it("gives a retry within the reuse interval the same successor, without revoking", async () => {
    const first = await signIn();
    const a = await t.auth.refresh(first.refreshToken);
    t.clock.advance(9);
    const b = await t.auth.refresh(first.refreshToken);
    expect(b.refreshToken).toBe(a.refreshToken);
    expect(await t.auth.checkBearerToken(b.accessToken)).not.toBeNull();
    expect(await liveTokens(first.session.id)).toHaveLength(1);
    await expect(t.auth.refresh(a.refreshToken)).resolves.toMatchObject({ session: { id: first.session.id } });
  });

  it("treats reuse after the interval as theft: REFRESH_REUSED and the whole session revoked", async () => {
    const first = await signIn();
    const second = await t.auth.refresh(first.refreshToken);
    t.clock.advance(11);
    expect(await codeOf(t.auth.refresh(first.refreshToken))).toBe("REFRESH_REUSED");
    // The legitimate holder's tokens die with the session, access token included.
    expect(await codeOf(t.auth.refresh(second.refreshToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(t.auth.verifyBearerToken(second.accessToken))).toBe("SESSION_REVOKED");
  });

  it("revokes when the successor has itself been rotated, even inside the interval", async () => {
    const first = await signIn();
    const second = await t.auth.refresh(first.refreshToken);
    await t.auth.refresh(second.refreshToken);
    expect(await codeOf(t.auth.refresh(first.refreshToken))).toBe("REFRESH_REUSED");
  });

  it("20 concurrent refreshes of one token all succeed with one successor and leave one live chain", async () => {
    const first = await signIn();
    const results = await Promise.all(Array.from({ length: 20 }, () => t.auth.refresh(first.refreshToken)));
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect(await liveTokens(first.session.id)).toHaveLength(1);
    const next = await t.auth.refresh(results[0]?.refreshToken ?? "");
    expect(next.session.id).toBe(first.session.id);
  });

  it("refuses unknown, malformed and logged-out refresh tokens with a code that says sign in again", async () => {
    expect(await codeOf(t.auth.refresh("A".repeat(43)))).toBe("TOKEN_INVALID");
    expect(await codeOf(t.auth.refresh("not a token"))).toBe("TOKEN_INVALID");
    const first = await signIn();
    await t.auth.logout(first.session);
    expect(await codeOf(t.auth.refresh(first.refreshToken))).toBe("SESSION_REVOKED");
  });

  it("ends a session that was not refreshed within the idle timeout", async () => {
    const first = await signIn();
    t.clock.advance(7 * 86_400 + 1);
    expect(await codeOf(t.auth.refresh(first.refreshToken))).toBe("SESSION_REVOKED");
  });

  it("an access token is not a refresh token, and a refresh token is not an access token", async () => {
    const first = await signIn();
    expect(await codeOf(t.auth.refresh(first.accessToken))).toBe("TOKEN_INVALID");
    expect(await t.auth.checkBearerToken(first.refreshToken)).toBeNull();
  });
});

describe("logout", () => {
  it("revokes this session's access and refresh tokens at once, and leaves others alone", async () => {
    const address = email();
    const phone = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const laptop = await t.auth.signin({ email: address, password: PASSWORD });
    expect(await t.auth.logout(phone.session)).toBe(1);
    expect(await codeOf(t.auth.verifyBearerToken(phone.accessToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(t.auth.refresh(phone.refreshToken))).toBe("SESSION_REVOKED");
    expect(await t.auth.checkBearerToken(laptop.accessToken)).not.toBeNull();
  });

  it("everywhere revokes every session of the user at once", async () => {
    const address = email();
    const phone = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    const laptop = await t.auth.signin({ email: address, password: PASSWORD });
    const other = await signIn();
    expect(await t.auth.logout(phone.session, { everywhere: true })).toBe(2);
    expect(await t.auth.checkBearerToken(laptop.accessToken)).toBeNull();
    expect(await codeOf(t.auth.refresh(laptop.refreshToken))).toBe("SESSION_REVOKED");
    expect(await t.auth.checkBearerToken(other.accessToken)).not.toBeNull();
  });
});
