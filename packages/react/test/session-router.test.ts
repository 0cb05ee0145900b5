// The router type parameter: AppRouter, a host's router that includes it, and nothing without
// bearer-kit's auth procedures. Checked by `tsc` (the package's typecheck); the test only runs it.
import { type AppRouter, appRouter, mergeRouters, protectedProcedure, router } from "@bearer-kit/api";
import { createTRPCClient } from "@trpc/client";
import { initTRPC } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createSessionClient } from "../src/client.ts";

const notesRouter = router({ mine: protectedProcedure.query(({ ctx }) => ({ owner: ctx.user.email })) });
const hostRouter = mergeRouters(appRouter, router({ notes: notesRouter }));
const unrelated = initTRPC.create();
const withoutAuth = unrelated.router({ ping: unrelated.procedure.query(() => "pong") });

describe("the router type", () => {
  it("types links for AppRouter and for a host router that includes it", () => {
    const session = createSessionClient({ url: "http://127.0.0.1:1/api/trpc" });
    const api = createTRPCClient<AppRouter>({ links: session.links });
    const host = createTRPCClient<typeof hostRouter>({ links: createSessionClient<typeof hostRouter>({ url: "/api/trpc" }).links });
    expect(typeof api.auth.me.query).toBe("function");
    expect(typeof host.notes.mine.query).toBe("function");
    expect(Object.keys(hostRouter._def.procedures)).toEqual(expect.arrayContaining(["auth.signin", "notes.mine"]));
  });

  it("refuses a router without the auth procedures", () => {
    // @ts-expect-error: `auth.signin`, `refresh`, `logout` and `sessionEvents` are missing
    const refused = createSessionClient<typeof withoutAuth>({ url: "/api/trpc" });
    expect(refused.links).toHaveLength(2);
    expect(Object.keys(withoutAuth._def.procedures)).toEqual(["ping"]);
  });
});
