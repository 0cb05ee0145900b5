// A host app mounts our API next to its own procedures through one handler: its procedures see
// our context (protectedProcedure works), ours keep working, and the handler's limits cover both.
import type { Auth } from "@bearer-kit/auth";
import { initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appRouter, createFetchHandler, mergeRouters, protectedProcedure, publicProcedure, router } from "../../src/index.ts";
import { type ErrorBody, useHttp } from "../http-fixture.ts";

const notesRouter = router({
  mine: protectedProcedure.query(({ ctx }) => ({ owner: ctx.user.email, notes: [] as string[] })),
  add: protectedProcedure.input(z.object({ text: z.string().max(100) })).mutation(({ input }) => ({ text: input.text })),
  ping: publicProcedure.query(() => "pong"),
});
const hostRouter = mergeRouters(appRouter, router({ notes: notesRouter }));

const { post, get, register } = useHttp({}, { router: hostRouter, maxBodyBytes: 2048, maxBatchSize: 3 });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("createFetchHandler({ router }): a host router that includes ours", () => {
  it("serves the host's protected procedures with our auth, and ours unchanged", async () => {
    const { accessToken, address } = await register();
    const notes = await get("notes.mine", bearer(accessToken));
    expect(notes.status).toBe(200);
    expect(await notes.json()).toEqual({ result: { data: { owner: address, notes: [] } } });
    const me = await get("auth.me", bearer(accessToken));
    expect(me.status).toBe(200);

    const anonymous = await get("notes.mine");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe("Bearer");
    expect(((await anonymous.json()) as ErrorBody).error.data.authCode).toBe("TOKEN_INVALID");
  });

  it("keeps the body limit and the batch cap for the host's procedures", async () => {
    const { accessToken } = await register();
    const large = await post("notes.add", { text: "x".repeat(4096) }, bearer(accessToken));
    expect(large.status).toBe(413);
    const batch = await get("notes.ping,notes.ping,notes.ping,notes.ping?batch=1&input={}");
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as ErrorBody).error.message).toMatch(/maximum of 3/);
    expect((await get("notes.ping,notes.ping,notes.ping?batch=1&input={}")).status).toBe(200);
  });

  it("keeps cookie mode: the refresh token stays in the HttpOnly cookie", async () => {
    const { response } = await register({ "x-auth-transport": "cookie" });
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith("bk_refresh=") && /HttpOnly/i.test(cookie))).toBe(true);
  });

  it("answers 503 for the host's procedures too while auth cannot start", async () => {
    const handler = createFetchHandler({
      router: hostRouter,
      endpoint: "/api/trpc",
      auth: (): Promise<Auth> => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")),
    });
    const response = await handler(new Request("http://localhost/api/trpc/notes.ping"));
    expect(response.status).toBe(503);
  });

  it("refuses a router that drops or replaces our procedures", () => {
    const auth = {} as Auth;
    expect(() => createFetchHandler({ router: router({ notes: notesRouter }), auth, endpoint: "/api/trpc" })).toThrow(
      /missing or replaced: .*auth\.signin/,
    );
    const replaced = router({ ...appRouter._def.record, auth: router({ signin: publicProcedure.mutation(() => "mine") }) });
    expect(() => createFetchHandler({ router: replaced, auth, endpoint: "/api/trpc" })).toThrow(/auth\.register/);
    // A spread of our record is as good as mergeRouters.
    const spread = router({ ...appRouter._def.record, notes: notesRouter });
    expect(() => createFetchHandler({ router: spread, auth, endpoint: "/api/trpc" })).not.toThrow();
  });

  it("refuses, at compile time, a router built with another tRPC instance (its context is not ours)", () => {
    const other = initTRPC.context<{ tenant: string }>().create();
    const foreign = other.router({ hello: other.procedure.query(() => "hi") });
    // @ts-expect-error: another context type; our procedures' context would not exist there
    expect(() => createFetchHandler({ router: foreign, auth: {} as Auth, endpoint: "/api/trpc" })).toThrow();
  });
});
