// Malformed request targets, sent exactly as written (fetch would normalise or refuse them):
// each is the client's mistake and must get 400, never a 500. Node hands them to the app as
// they are; `new URL` throws on some, and a router that decodes the path throws on the others.
import { defineGroup } from "../conformance-case.ts";
import { expectStatus } from "../lib/expect.ts";
import { rawRequest } from "../lib/raw-http.ts";

const TARGETS = [
  ["/api/trpc/%zz", "an invalid percent-escape in the procedure path"],
  ["/api/trpc/auth.me%", "a lone % at the end of the path"],
  ["/api/trpc/auth.me%C0%AF", "percent-encoded bytes that are not UTF-8 (overlong /)"],
  ["//", "// alone (a URL with an empty host)"],
  ["//x:99999/api/trpc/auth.me", "//host:port with a port out of range"],
  ["http://[/api/trpc/auth.me", "an absolute URL with an unclosed IPv6 bracket"],
  ["*", "* on a GET"],
] as const;

/** One case per target: 400, in under a second. */
export const requestTargetCases = defineGroup(
  "request targets",
  TARGETS.map(([target, what]) => ({
    name: `${what} (GET ${target}): 400`,
    run: async (ctx) => {
      const response = await rawRequest(ctx.options.url, { method: "GET", target, headers: [] });
      ctx.api.record(response);
      expectStatus(response, 400, `GET ${target}`);
    },
  })),
);
