import { describe, expect, it } from "vitest";
import { email, PASSWORD } from "../fixture.ts";
import { type ErrorBody, type TokenBody, useHttp } from "../http-fixture.ts";

const { post, get, register } = useHttp();

/** Addresses with a character no address may hold; JSON carries each as an escape. */
const BAD_EMAILS: Record<string, string> = {
  "NUL": "a\u0000b@example.com",
  "U+0001": "a\u0001b@example.com",
  "DEL": "a\u007fb@example.com",
  "U+0085 (C1)": "a\u0085b@example.com",
  "no-break space": "a\u00a0b@example.com",
  "line separator": "a\u2028b@example.com",
  "tab": "a\tb@example.com",
  "inner space": "a b@example.com",
  "lone surrogate": "a\ud800b@example.com",
};

async function errorData(response: Response): Promise<ErrorBody["error"]["data"]> {
  return ((await response.json()) as ErrorBody).error.data;
}

describe("characters PostgreSQL refuses, over HTTP", () => {
  it.each(Object.entries(BAD_EMAILS))("answers an email with %s with 400 INVALID_INPUT on email, at register and sign-in", async (_, address) => {
    for (const response of [
      await post("auth.register", { email: address, password: PASSWORD, name: "Ann" }),
      await post("auth.signin", { email: address, password: PASSWORD }),
    ]) {
      expect(response.status).toBe(400);
      const data = await errorData(response);
      expect(data.authCode).toBe("INVALID_INPUT");
      expect(Object.keys(data.fieldErrors ?? {})).toEqual(["email"]);
    }
  });

  it("answers a lone surrogate in a password with 400 on that field, and takes NUL in one", async () => {
    const refused = await post("auth.register", { email: email(), password: "password\udc00", name: "Ann" });
    expect(refused.status).toBe(400);
    expect((await errorData(refused)).fieldErrors).toEqual({ password: [expect.any(String)] });

    const address = email();
    const odd = "pass\u0000word\u0001";
    expect((await post("auth.register", { email: address, password: odd, name: "Ann" })).status).toBe(200);
    const signin = await post("auth.signin", { email: address, password: odd });
    expect(signin.status).toBe(200);
    const { accessToken } = ((await signin.json()) as TokenBody).result.data;
    const change = await post(
      "account.changePassword",
      { currentPassword: odd, newPassword: "new\ud800password" },
      { authorization: `Bearer ${accessToken}` },
    );
    expect(change.status).toBe(400);
    expect((await errorData(change)).fieldErrors).toEqual({ newPassword: [expect.any(String)] });
  });

  it("answers control characters in a name, refresh token or session id with a 4xx", async () => {
    const name = await post("auth.register", { email: email(), password: PASSWORD, name: "A\u0000nn" });
    expect([name.status, (await errorData(name)).fieldErrors]).toEqual([400, { name: [expect.any(String)] }]);
    const refresh = await post("auth.refresh", { refreshToken: `${"A".repeat(42)}\u0000` });
    expect([refresh.status, (await errorData(refresh)).authCode]).toEqual([401, "TOKEN_INVALID"]);
    const { accessToken } = await register();
    const revoke = await post("account.revokeSession", { id: "\u0000" }, { authorization: `Bearer ${accessToken}` });
    expect([revoke.status, (await errorData(revoke)).authCode]).toEqual([400, "INVALID_INPUT"]);
  });

  it("stores a user agent with C1 control characters cleaned out", async () => {
    // Headers are Latin-1 on the wire, so byte 0x85 arrives as U+0085, a C1 control character.
    const { accessToken } = await register({ "user-agent": "Agent\u0085/1\u009b31m" });
    const sessions = await get("account.sessions", { authorization: `Bearer ${accessToken}` });
    expect(sessions.status).toBe(200);
    const body = (await sessions.json()) as { result: { data: { userAgent: string | null }[] } };
    expect(body.result.data.map((s) => s.userAgent)).toEqual(["Agent/131m"]);
  });
});
