// Run last: scans every response the run collected. Errors must reach clients as codes and
// short messages, never as the stack, query or hash behind them.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { fail } from "../lib/expect.ts";
import { LEAK_PATTERNS, type LeakKind } from "../lib/leak-patterns.ts";
import type { ApiResponse } from "../lib/trpc-http.ts";

function excerpt(text: string, index: number): string {
  return text.slice(Math.max(0, index - 40), index + 80).replace(/\s+/g, " ");
}

function where(response: ApiResponse): string {
  const url = response.url.length > 100 ? `${response.url.slice(0, 100)}...` : response.url;
  return `${response.method} ${url} -> ${response.status}`;
}

function scans(kind: LeakKind) {
  return async (ctx: ConformanceContext) => {
    const found: string[] = [];
    for (const response of ctx.responses) {
      for (const pattern of LEAK_PATTERNS[kind]) {
        const match = pattern.exec(response.text);
        if (match) found.push(`${where(response)}: ...${excerpt(response.text, match.index)}...`);
      }
    }
    if (found.length > 0) {
      const hint = kind === "stack trace" ? " (is the server running in development mode?)" : "";
      fail(`${found.length} response(s) contain a ${kind}${hint}; first: ${found[0]}`);
    }
    ctx.note(`${ctx.responses.length} responses scanned`);
  };
}

/** Scans of the whole run's responses; must run after every other group. */
export const leakCases = defineGroup("leaks", [
  { name: "no response contains a stack trace or node_modules path", run: scans("stack trace") },
  { name: "no response contains SQL text", run: scans("SQL text") },
  { name: "no response contains an argon2 hash", run: scans("password hash") },
  {
    // RFC 6749 §5.1: a response carrying tokens must not be stored by any cache.
    name: "no response carrying a token is cacheable (Cache-Control: no-store)",
    run: async (ctx) => {
      const cacheable = ctx.responses.filter(
        (response) => response.status === 200 && response.text.includes('"accessToken"') && !/no-store/i.test(response.headers.get("cache-control") ?? ""),
      );
      if (cacheable[0]) fail(`${cacheable.length} token response(s) lack Cache-Control: no-store; first: ${where(cacheable[0])}`);
    },
  },
  {
    name: "no response of the run was a 5xx",
    run: async (ctx) => {
      const errors = ctx.responses.filter((response) => response.status >= 500);
      if (errors[0]) fail(`${errors.length} response(s) were 5xx; first: ${where(errors[0])} ${errors[0].text.slice(0, 200)}`);
    },
  },
]);
