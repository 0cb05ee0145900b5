// Input handling at the HTTP edge: wrong types, injection strings, oversized and invalid
// bodies, and the wrong method. Each must be a clean 4xx, never a 500 or a database error.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { expectFast, expectStatus } from "../lib/expect.ts";
import type { JSONObject, JSONValue } from "../lib/json.ts";
import { strongPassword, uniqueEmail } from "../lib/users.ts";

const INJECTIONS = ["' OR 1=1 --", "<script>alert(1)</script>", "${7*7}", '{"$gt":""}'] as const;
const WRONG_TYPES: ReadonlyArray<readonly [string, JSONValue]> = [
  ["a number", 42],
  ["an array", ["a@example.test"]],
  ["an object", { $gt: "" }],
  ["null", null],
  ["a boolean", true],
];
const TEN_MB = 10 * 1024 * 1024;

function validInput(procedure: "register" | "signin"): JSONObject {
  const base = { email: uniqueEmail("types"), password: strongPassword() };
  return procedure === "register" ? { ...base, name: "Types" } : base;
}

function wrongTypeCases(procedure: "register" | "signin", fields: readonly string[]) {
  return fields.flatMap((field) =>
    WRONG_TYPES.map(([label, value]) => ({
      name: `auth.${procedure}: ${field} as ${label}: 400`,
      run: async (ctx: ConformanceContext) => {
        const response = await ctx.api.mutation(`auth.${procedure}`, { ...validInput(procedure), [field]: value });
        expectStatus(response, 400, `${field} as ${label}`);
      },
    })),
  );
}

/** A body of `bytes` bytes of JSON-ish text, streamed in chunks so no length is declared. */
function streamedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) controller.close();
      else controller.enqueue(chunk);
      sent += chunk.byteLength;
    },
  });
}

/** Malformed input at the HTTP edge of register and signin. */
export const registrationInputCases = defineGroup("registration", [
  ...INJECTIONS.map((email) => ({
    name: `injection string ${JSON.stringify(email)} as the email: 400`,
    run: async (ctx: ConformanceContext) => {
      const response = await ctx.api.mutation("auth.register", { email, password: strongPassword(), name: "Inject" });
      expectStatus(response, 400, "an injection string as the email");
    },
  })),
  ...wrongTypeCases("register", ["email", "password", "name"]),
  ...wrongTypeCases("signin", ["email", "password"]),
  {
    name: "a 10 MB body with its length declared: 413 in under 2 s",
    run: async (ctx) => {
      const body = JSON.stringify({ email: uniqueEmail("big"), password: "x".repeat(TEN_MB), name: "Big" });
      const response = await ctx.api.send("/api/trpc/auth.register", { method: "POST", headers: { "content-type": "application/json" }, body });
      expectStatus(response, 413, "a 10 MB body");
      expectFast(response.ms, 2000, "refusing a 10 MB body");
    },
  },
  {
    // No content-length: only counting the bytes as they arrive can stop this one.
    name: "a 10 MB body streamed without a length: 413 in under 2 s",
    run: async (ctx) => {
      // `duplex` is required by Node's fetch for a stream body, and missing from the DOM typings.
      const init: RequestInit & { duplex: "half" } = {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: streamedBody(TEN_MB),
        duplex: "half",
      };
      const response = await ctx.api.send("/api/trpc/auth.register", init);
      expectStatus(response, 413, "a streamed 10 MB body");
      expectFast(response.ms, 2000, "refusing a streamed 10 MB body");
    },
  },
  {
    name: "invalid JSON body: 400",
    run: async (ctx) => {
      const body = `{"email":"${uniqueEmail("json")}","password":`;
      const response = await ctx.api.send("/api/trpc/auth.register", { method: "POST", headers: { "content-type": "application/json" }, body });
      expectStatus(response, 400, "an invalid JSON body");
    },
  },
  {
    name: "GET on a mutation (auth.register): 405",
    run: async (ctx) => {
      const response = await ctx.api.query("auth.register", { input: validInput("register") });
      expectStatus(response, 405, "GET auth.register");
    },
  },
]);
