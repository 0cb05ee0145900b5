import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { email, PASSWORD } from "../fixture.ts";
import { type ErrorBody, useHttp } from "../http-fixture.ts";

const { t, url, post, get, register } = useHttp({ throttle: { maxFailures: 2 } });

/** GETs `target` written exactly as given (http.request sends the path as is; fetch would normalise it). */
function rawStatus(target: string): Promise<number> {
  const { hostname, port } = new URL(url());
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("status codes over HTTP", () => {
  it("200 with the token response, never cached", async () => {
    const { response, accessToken, refreshToken } = await register();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(accessToken).toEqual(expect.any(String));
    expect(refreshToken).toEqual(expect.any(String));
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("400 with field errors for invalid input", async () => {
    const response = await post("auth.register", { email: "nope", password: PASSWORD, name: "Ann" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.data).toMatchObject({ code: "BAD_REQUEST", authCode: "INVALID_INPUT", fieldErrors: { email: ["Enter a valid email address"] } });
  });

  it("401 with a WWW-Authenticate challenge from a protected procedure", async () => {
    const none = await get("auth.me");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(((await none.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");

    const bad = await get("auth.me", { authorization: "Bearer not.a.jwt" });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });

  it("401 without a challenge for a wrong password at sign-in", async () => {
    const response = await post("auth.signin", { email: email(), password: "wrong password" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBeNull();
    expect(((await response.json()) as ErrorBody).error.data.authCode).toBe("INVALID_CREDENTIALS");
  });

  it("409 for a taken email", async () => {
    const { address } = await register();
    const response = await post("auth.register", { email: address, password: PASSWORD, name: "Ann" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.data.authCode).toBe("EMAIL_TAKEN");
  });

  it("429 with Retry-After once sign-in is throttled", async () => {
    const { address } = await register();
    for (let i = 0; i < 2; i++) expect((await post("auth.signin", { email: address, password: "wrong password" })).status).toBe(401);
    t.clock.advance(100);
    const response = await post("auth.signin", { email: address, password: PASSWORD });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("800");
    expect(((await response.json()) as ErrorBody).error.data).toMatchObject({ authCode: "RATE_LIMITED", retryAfter: 800 });
  });

  it("413 for a 100 KB body, declared or streamed, without reading it all", async () => {
    const started = Date.now();
    const declared = await post("auth.signin", { email: "a@example.com", password: "x".repeat(100_000) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as ErrorBody).error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(declared.headers.get("cache-control")).toBe("no-store");

    // No content-length: only counting the streamed bytes can stop this one.
    const chunk = new TextEncoder().encode("x".repeat(10_000));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 10) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" };
    const streamed = await fetch(`${url()}/auth.signin`, init as RequestInit);
    expect(streamed.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("serves a streamed (chunked) body under the limit as usual", async () => {
    const { address } = await register();
    const json = new TextEncoder().encode(JSON.stringify({ email: address, password: PASSWORD }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(json.slice(0, 10));
        controller.enqueue(json.slice(10));
        controller.close();
      },
    });
    const init = { method: "POST", headers: { "content-type": "application/json" }, body, duplex: "half" };
    const response = await fetch(`${url()}/auth.signin`, init as RequestInit);
    expect(response.status).toBe(200);
  });

  it("400 for a batch larger than the limit, even with encoded commas", async () => {
    const calls = (separator: string) => Array.from({ length: 11 }, () => "auth.me").join(separator);
    expect((await get(`${calls(",")}?batch=1&input={}`)).status).toBe(400);
    expect((await get(`${calls("%2C")}?batch=1&input={}`)).status).toBe(400);
    expect((await get(`${Array.from({ length: 10 }, () => "auth.me").join(",")}?batch=1&input={}`)).status).toBe(401);
  });

  it("405 for GET on a mutation", async () => {
    const input = encodeURIComponent(JSON.stringify({ email: email(), password: PASSWORD }));
    expect((await get(`auth.signin?input=${input}`)).status).toBe(405);
  });

  it("400 for a body that is not JSON", async () => {
    const response = await fetch(`${url()}/auth.signin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email": "a@example.com", ',
    });
    expect(response.status).toBe(400);
  });

  it("400 for a malformed request target, whatever part of it is malformed", async () => {
    for (const target of ["//", "//x:99999/api/trpc/auth.me", "http://[/api/trpc/auth.me", "*", "/api/trpc/%zz", "/api/trpc/auth.me%", "/api/trpc/auth.me%C0%AF"]) {
      expect({ target, status: await rawStatus(target) }).toEqual({ target, status: 400 });
    }
    // Absolute-form (RFC 9112 §3.2.2) is well-formed: served, so auth.me asks for a token.
    expect(await rawStatus("http://api.example/api/trpc/auth.me")).toBe(401);
  });

  it("never 500 for a malformed or odd procedure path", async () => {
    // tRPC itself answers a malformed percent-escape with 500.
    expect((await get("auth.me%E0%A4%A")).status).toBe(400);
    for (const path of ["constructor", "__proto__", "toString", "auth.nope"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});
