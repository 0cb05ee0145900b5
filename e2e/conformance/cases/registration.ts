// Registration: one account per canonical address even under a race, the password policy
// enforced without truncation, and no client-chosen fields.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { describe, expectStatus, fail } from "../lib/expect.ts";
import { isRecord } from "../lib/json.ts";
import { authPayloadOf, errorOf, resultOf } from "../lib/payloads.ts";
import { registerUser, signinUser, strongPassword, uniqueEmail } from "../lib/users.ts";

/** `count` spellings of `email` that differ only in letter case, all distinct. */
function caseVariants(email: string, count: number): string[] {
  const letters = [...email].map((char, index) => ({ char, index })).filter(({ char }) => /[a-z]/.test(char));
  return Array.from({ length: count }, (_, variant) => {
    const chars = [...email];
    // Bit i of the variant number upper-cases the i-th letter: distinct variants, distinct spellings.
    letters.forEach(({ char, index }, bit) => {
      if ((variant >> bit) & 1) chars[index] = char.toUpperCase();
    });
    return chars.join("");
  });
}

/** Registers with `password` and expects 400 naming the password field. */
function refusesPassword(password: string) {
  return async (ctx: ConformanceContext) => {
    const response = await ctx.api.mutation("auth.register", { email: uniqueEmail("policy"), password, name: "Policy" });
    expectStatus(response, 400, `a ${[...password].length}-character password`);
    const { fieldErrors } = errorOf(response).data;
    if (!fieldErrors || !("password" in fieldErrors)) fail(`400 without a password field error: ${describe(response)}`);
  };
}

/** Account creation: races, password policy, and fields the client must not choose. */
export const registrationCases = defineGroup("registration", [
  {
    name: "20 concurrent registrations of one address in different letter cases: one 200, nineteen 409",
    run: async (ctx) => {
      const variants = caseVariants(uniqueEmail("race"), 20);
      const password = strongPassword();
      const responses = await Promise.all(variants.map((email) => ctx.api.mutation("auth.register", { email, password, name: "Racer" })));
      const statuses = responses.map((response) => response.status);
      const created = statuses.filter((status) => status === 200).length;
      const taken = responses.filter((response) => response.status === 409 && errorOf(response).data.authCode === "EMAIL_TAKEN").length;
      if (created !== 1 || taken !== 19) fail(`expected one 200 and nineteen 409 EMAIL_TAKEN, got statuses ${statuses.join(",")}`);
    },
  },
  { name: "password of 7 characters: 400", run: refusesPassword("Abc123!") },
  { name: "password of 257 characters: 400", run: refusesPassword("p".repeat(257)) },
  {
    name: "Unicode password round-trips (register, then sign in)",
    run: async (ctx) => {
      const user = await registerUser(ctx, { password: "Pässwörd-🔑-密码-שלום-ñ" });
      await signinUser(ctx, user);
    },
  },
  {
    // bcrypt silently ignores bytes past 72; a server using it would accept this prefix.
    name: "the first 72 characters of a 100-character password never sign in",
    run: async (ctx) => {
      const password = `${strongPassword()}${"x".repeat(100)}`.slice(0, 100);
      const user = await registerUser(ctx, { password });
      const response = await ctx.api.mutation("auth.signin", { email: user.email, password: password.slice(0, 72) });
      expectStatus(response, 401, "signing in with the 72-character prefix");
    },
  },
  {
    name: "unknown fields id, role, emailVerified are never taken",
    run: async (ctx) => {
      const chosenId = "00000000-0000-4000-8000-000000000001";
      const response = await ctx.api.mutation("auth.register", {
        email: uniqueEmail("fields"),
        password: strongPassword(),
        name: "Fields",
        id: chosenId,
        role: "admin",
        emailVerified: true,
      });
      const payload = authPayloadOf(response);
      const registered = resultOf(response);
      const users = {
        "the registered user": isRecord(registered) ? registered.user : undefined,
        "auth.me": resultOf(await ctx.api.query("auth.me", { token: payload.accessToken })),
      };
      for (const [what, user] of Object.entries(users)) {
        if (!isRecord(user)) fail(`${what} is not an object: ${JSON.stringify(user)}`);
        if ("role" in user) fail(`${what} has a role field: ${JSON.stringify(user)}`);
        // The API reports emailVerified since issue 10: it must be the server's false, not the client's true.
        if (user.emailVerified !== false) fail(`${what} says emailVerified ${JSON.stringify(user.emailVerified)}, not false: ${JSON.stringify(user)}`);
        if (user.id === chosenId) fail(`${what} took the client-chosen id`);
      }
    },
  },
  {
    name: "a name with a NUL character: 400, not a database error",
    run: async (ctx) => {
      const response = await ctx.api.mutation("auth.register", { email: uniqueEmail("nul"), password: strongPassword(), name: "a\u0000b" });
      expectStatus(response, 400, "a name containing NUL");
    },
  },
  {
    name: "an email over 254 characters: 400",
    run: async (ctx) => {
      const response = await ctx.api.mutation("auth.register", { email: `${"a".repeat(250)}@example.test`, password: strongPassword(), name: "Long" });
      expectStatus(response, 400, "a 263-character email");
    },
  },
]);
