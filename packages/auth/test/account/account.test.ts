import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

async function twoDevices() {
  const address = email();
  const phone = await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
  const laptop = await t.auth.signin({ email: address, password: PASSWORD }, { userAgent: "Laptop" });
  return { address, phone, laptop };
}

describe("account", () => {
  it("changePassword keeps this session, revokes the others, and the new password works", async () => {
    const { address, phone, laptop } = await twoDevices();
    await t.auth.changePassword(phone, { currentPassword: PASSWORD, newPassword: "a brand new secret" });
    expect(await t.auth.checkBearerToken(phone.accessToken)).not.toBeNull();
    expect(await codeOf(t.auth.verifyBearerToken(laptop.accessToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(t.auth.refresh(laptop.refreshToken))).toBe("SESSION_REVOKED");
    expect(await codeOf(t.auth.signin({ email: address, password: PASSWORD }))).toBe("INVALID_CREDENTIALS");
    await expect(t.auth.signin({ email: address, password: "a brand new secret" })).resolves.toBeDefined();
  });

  it("changePassword refuses a wrong current password and a weak new one", async () => {
    const { phone } = await twoDevices();
    expect(await codeOf(t.auth.changePassword(phone, { currentPassword: "nope nope", newPassword: "whatever123" }))).toBe(
      "INVALID_CREDENTIALS",
    );
    expect(await codeOf(t.auth.changePassword(phone, { currentPassword: PASSWORD, newPassword: "short" }))).toBe(
      "WEAK_PASSWORD",
    );
  });

  it("deleteUser ends every token, and registering the same email again does not revive them", async () => {
    const { address, phone, laptop } = await twoDevices();
    expect(await codeOf(t.auth.deleteUser(phone, { password: "wrong password" }))).toBe("INVALID_CREDENTIALS");
    await t.auth.deleteUser(phone, { password: PASSWORD });
    expect(await t.auth.checkBearerToken(phone.accessToken)).toBeNull();
    expect(await codeOf(t.auth.refresh(laptop.refreshToken))).toBe("TOKEN_INVALID");
    const again = await t.auth.register({ email: address, password: PASSWORD, name: "Ann again" });
    expect(again.user.id).not.toBe(phone.user.id);
    expect(await t.auth.checkBearerToken(laptop.accessToken)).toBeNull();
  });

  it("lists live sessions and revokes only the user's own", async () => {
    const { phone, laptop } = await twoDevices();
    const stranger = await t.auth.register({ email: email(), password: PASSWORD, name: "Eve" });
    const listed = await t.auth.listSessions(phone.user.id);
    expect(listed.map((s) => s.id).sort()).toEqual([phone.session.id, laptop.session.id].sort());
    expect(await codeOf(t.auth.revokeSession(stranger.user.id, phone.session.id))).toBe("NOT_FOUND");
    expect(await codeOf(t.auth.revokeSession(phone.user.id, "not-a-uuid"))).toBe("NOT_FOUND");
    await t.auth.revokeSession(phone.user.id, laptop.session.id);
    expect(await t.auth.checkBearerToken(laptop.accessToken)).toBeNull();
    expect((await t.auth.listSessions(phone.user.id)).map((s) => s.id)).toEqual([phone.session.id]);
  });

  it("writes last_used_at at most once a minute", async () => {
    const { phone } = await twoDevices();
    const created = phone.session.lastUsedAt.getTime();
    t.clock.advance(30);
    expect((await t.auth.verifyBearerToken(phone.accessToken)).session.lastUsedAt.getTime()).toBe(created);
    t.clock.advance(31);
    await t.auth.verifyBearerToken(phone.accessToken);
    const after = await t.auth.verifyBearerToken(phone.accessToken);
    expect(after.session.lastUsedAt.getTime()).toBe(created + 61_000);
  });
});
