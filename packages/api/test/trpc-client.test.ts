import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../src/index.ts";
import { email, PASSWORD, signedUp } from "./fixture.ts";
import { useHttp } from "./http-fixture.ts";

const { url, get, register } = useHttp();

describe("with @trpc/client", () => {
  it("signs in, batches protected calls and exposes authCode on errors", async () => {
    let token = "";
    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: url(), headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
    });
    const address = email();
    const registered = signedUp(await client.auth.register.mutate({ email: address, password: PASSWORD, name: "Ann" }));
    token = registered.accessToken;
    const [me, sessions, again] = await Promise.all([client.auth.me.query(), client.account.sessions.query(), client.auth.me.query()]);
    expect(me.email).toBe(address);
    expect(again).toEqual(me);
    expect(sessions.map((session) => session.current)).toEqual([true]);

    token = "";
    const error = await client.auth.me.query().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data).toMatchObject({ code: "UNAUTHORIZED", authCode: "TOKEN_INVALID" });
  });
});

describe("client address", () => {
  it("records the socket address, not an x-forwarded-for value the client made up", async () => {
    const { accessToken } = await register({ "x-forwarded-for": "6.6.6.6" });
    const response = await get("account.sessions", { authorization: `Bearer ${accessToken}` });
    const body = (await response.json()) as { result: { data: Array<{ ipAddress: string | null }> } };
    expect(body.result.data.map((session) => session.ipAddress)).toEqual(["127.0.0.1"]);
  });
});
