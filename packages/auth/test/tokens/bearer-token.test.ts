import { describe, expect, it } from "vitest";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";
import { SignJWT } from "jose";
import { TEST_SECRET } from "../../src/testing/index.ts";

const t = useAuth({ algorithm: "HS256" });

async function signedIn() {
  return t.auth.register({ email: email(), password: PASSWORD, name: "Ann" });
}

describe("getBearerToken / checkBearerToken / loginUsingBearerToken", () => {
  it("round-trips: the token's user is the user it was issued for", async () => {
    const { user } = await signedIn();
    const token = await t.auth.getBearerToken(user);
    expect(await t.auth.checkBearerToken(token)).toMatchObject(user);

    const guard = t.auth.guard();
    expect(guard.check()).toBe(false);
    await expect(guard.loginUsingBearerToken(token)).resolves.toEqual(user);
    expect(guard.check()).toBe(true);
    expect(guard.viaBearerToken).toBe(true);
    expect(guard.user).toEqual(user);
    expect(guard.session?.userId).toBe(user.id);
  });

  it("expires after one hour by default", async () => {
    const result = await signedIn();
    const issuedAt = t.clock.now().getTime();
    expect(result.accessTokenExpiresAt.getTime() - Math.floor(issuedAt / 1000) * 1000).toBe(3600 * 1000);
    const [, payload] = result.accessToken.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(Object.keys(claims).sort()).toEqual(["amr", "aud", "exp", "iat", "iss", "jti", "nbf", "sid", "sub"]);
    expect(claims.amr).toEqual(["pwd"]);
  });

  it("accepts a token 30 s past exp (leeway 60 s) and rejects it at 120 s with TOKEN_EXPIRED", async () => {
    const { accessToken } = await signedIn();
    t.clock.advance(3600 + 30);
    expect(await t.auth.checkBearerToken(accessToken)).not.toBeNull();
    t.clock.advance(90);
    expect(await t.auth.checkBearerToken(accessToken)).toBeNull();
    expect(await codeOf(t.auth.guard().loginUsingBearerToken(accessToken))).toBe("TOKEN_EXPIRED");
  });

  it("returns null for a tampered token, another algorithm, or another issuer", async () => {
    const { accessToken, user, session } = await signedIn();
    const [header, payload, signature] = accessToken.split(".") as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.endsWith("AA") ? "BB" : "AA");
    expect(await t.auth.checkBearerToken(`${header}.${payload}.${flipped}`)).toBeNull();

    const forged = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    forged.sub = "00000000-0000-4000-8000-000000000000";
    const altered = Buffer.from(JSON.stringify(forged)).toString("base64url");
    expect(await t.auth.checkBearerToken(`${header}.${altered}.${signature}`)).toBeNull();

    const key = new TextEncoder().encode(TEST_SECRET);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const sign = (alg: string, claims: Record<string, unknown> = {}) =>
      new SignJWT({ sid: session.id, sub: user.id, iss: "bearer-kit", aud: "bearer-kit", iat: now, exp: now + 600, jti: "j", ...claims })
        .setProtectedHeader({ alg, typ: "at+jwt" })
        .sign(key);
    expect(await t.auth.checkBearerToken(await sign("HS256"))).toMatchObject(user); // control: the forge works
    expect(await t.auth.checkBearerToken(await sign("HS512"))).toBeNull();
    expect(await t.auth.checkBearerToken(await sign("HS256", { iss: "evil" }))).toBeNull();
    expect(await t.auth.checkBearerToken(await sign("HS256", { aud: "other-app" }))).toBeNull();
    expect(await t.auth.checkBearerToken(await sign("HS256", { iat: now + 300 }))).toBeNull();
    expect(await t.auth.checkBearerToken(await sign("HS256", { jti: 42 }))).toBeNull();
    expect(await t.auth.checkBearerToken(await sign("HS256", { jti: null }))).toBeNull();
    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString("base64url")}.${payload}.`;
    expect(await t.auth.checkBearerToken(none)).toBeNull();
  });

  it("returns null once the user is deleted, even for a token signed with the right key", async () => {
    const { accessToken, user, session } = await signedIn();
    await t.auth.deleteUser({ user, session }, { password: PASSWORD });
    expect(await t.auth.checkBearerToken(accessToken)).toBeNull();
    expect(await codeOf(t.auth.verifyBearerToken(accessToken))).toBe("TOKEN_INVALID");
  });

  it("refuses a token whose sid belongs to another user", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const token = await new SignJWT({ sid: b.session.id, jti: "j" })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setSubject(a.user.id)
      .setIssuer("bearer-kit")
      .setAudience("bearer-kit")
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect(await codeOf(t.auth.verifyBearerToken(token))).toBe("TOKEN_INVALID");
  });

  it("getBearerToken for an existing session belongs to that session", async () => {
    const { user, session } = await signedIn();
    const token = await t.auth.getBearerToken(user, { sessionId: session.id });
    const result = await t.auth.verifyBearerToken(token);
    expect(result.session.id).toBe(session.id);
  });

  it("a guard with no token refuses with TOKEN_INVALID and stays signed out", async () => {
    const guard = t.auth.guard();
    expect(await codeOf(guard.loginUsingBearerToken(null))).toBe("TOKEN_INVALID");
    expect(guard.check()).toBe(false);
    expect(guard.user).toBeNull();
  });
});
