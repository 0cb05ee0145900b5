import { OWASP_ARGON2ID } from "@bearer-kit/auth";
import { describe, expect, it } from "vitest";
import { PASSWORD } from "../fixture.ts";
import { type ErrorBody, type TokenBody, useHttp } from "../http-fixture.ts";

// One argon2 slot, so two password checks at once and none waiting: a third is refused.
// Real argon2id cost: the gate must be full while a hash runs.
const h = useHttp({ hashing: { concurrency: 1, queue: 0 }, passwordParams: OWASP_ARGON2ID });

describe("a full password-check queue over HTTP", () => {
  it("answers SERVER_BUSY with 503 and Retry-After, and the admitted sign-ins still succeed", async () => {
    const { address } = await h.register();
    const input = { email: address, password: PASSWORD };
    // One batch: its calls reach the gate together, before any of them has finished.
    const response = await fetch(`${h.url()}/auth.signin,auth.signin,auth.signin?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ 0: input, 1: input, 2: input }),
    });
    const [first, second, third] = (await response.json()) as [TokenBody, TokenBody, ErrorBody];
    expect(first.result.data.accessToken).toBeTypeOf("string");
    expect(second.result.data.accessToken).toBeTypeOf("string");
    expect(third.error.data).toMatchObject({ authCode: "SERVER_BUSY", httpStatus: 503, retryAfter: 1 });
    expect(response.headers.get("retry-after")).toBe("1");

    // Alone, the refused call goes through: the slots were given back.
    const retry = await h.post("auth.signin", input);
    expect(retry.status).toBe(200);
  });
});
