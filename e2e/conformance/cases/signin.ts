// Sign-in throttling per account: it counts every attempt however it arrives (forged
// X-Forwarded-For, a batch, an odd path), and it holds even against the right password.
import { defineGroup } from "../conformance-case.ts";
import type { ConformanceContext } from "../context.ts";
import { describe, expectStatus, fail } from "../lib/expect.ts";
import { authPayloadOf, batchItems, errorOf, resultOf } from "../lib/payloads.ts";
import { attemptSignin, expectInvalidCredentials, expectRateLimited } from "../lib/signin.ts";
import { registerUser, signinUser, uniqueEmail } from "../lib/users.ts";

/** Spends the account's allowance with wrong passwords, each attempt from `headers(i)`. */
async function exhaust(ctx: ConformanceContext, email: string, headers: (attempt: number) => Record<string, string> = () => ({})) {
  for (let attempt = 0; attempt < ctx.options.maxFailures; attempt++) {
    expectInvalidCredentials(ctx, await attemptSignin(ctx, { email, password: "wrong password" }, { headers: headers(attempt) }));
  }
}

const forged = (attempt: number) => ({ "x-forwarded-for": `203.0.113.${attempt + 10}` });

/** Throttling and enumeration at sign-in; every case spends attempts from the shared address. */
export const signinCases = defineGroup("signin", [
  {
    name: "per-account throttling: 429 with a numeric Retry-After after max-failures, even for the right password",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      await exhaust(ctx, user.email);
      expectRateLimited(await attemptSignin(ctx, user));
    },
  },
  {
    name: "X-Forwarded-For is not trusted: a new forged address per attempt does not reset the account limit",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      await exhaust(ctx, user.email, forged);
      expectRateLimited(await attemptSignin(ctx, user, { headers: forged(99) }));
    },
  },
  {
    name: "X-Forwarded-For is not recorded as the session's client address",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const spoofed = "198.51.100.77";
      const response = await attemptSignin(ctx, user, { headers: { "x-forwarded-for": spoofed } });
      const { accessToken } = authPayloadOf(response);
      const sessions = resultOf(await ctx.api.query("account.sessions", { token: accessToken }));
      const text = JSON.stringify(sessions);
      if (text.includes(spoofed)) fail(`the session records the client-supplied X-Forwarded-For: ${text}`);
    },
  },
  {
    name: "a batch of 10 sign-ins for one account: at most max-failures INVALID_CREDENTIALS, the rest 429",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const calls = Array.from({ length: 10 }, () => ({ email: user.email, password: "wrong password" }));
      const items = batchItems(await ctx.api.batch(calls.map(() => "auth.signin"), calls));
      const codes = items.map((item) => (item.ok ? "OK" : String(item.error.data.authCode)));
      const invalid = codes.filter((code) => code === "INVALID_CREDENTIALS").length;
      const limited = codes.filter((code) => code === "RATE_LIMITED").length;
      // At least one must be a plain failure: all 429 would mean the address, not the account, was throttled.
      if (items.length !== 10 || invalid < 1 || invalid > ctx.options.maxFailures || invalid + limited !== 10) {
        fail(`expected 1 to ${ctx.options.maxFailures} INVALID_CREDENTIALS and the rest RATE_LIMITED, got ${codes.join(",")}`);
      }
      ctx.note(`${invalid} INVALID_CREDENTIALS, ${limited} RATE_LIMITED`);
    },
  },
  {
    name: "a batch of 11 sign-ins: 400, and none of them counted",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const calls = Array.from({ length: 11 }, () => ({ email: user.email, password: "wrong password" }));
      const response = await ctx.api.batch(calls.map(() => "auth.signin"), calls);
      expectStatus(response, 400, "a batch of 11");
      // Had any call run, eleven failures would now lock the account.
      await signinUser(ctx, user);
    },
  },
  {
    name: "unknown email and wrong password: same status, authCode and message",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const wrong = await attemptSignin(ctx, { email: user.email, password: "wrong password" });
      const unknown = await attemptSignin(ctx, { email: uniqueEmail("ghost"), password: "wrong password" });
      expectInvalidCredentials(ctx, wrong);
      expectInvalidCredentials(ctx, unknown);
      const [a, b] = [errorOf(wrong), errorOf(unknown)];
      if (a.message !== b.message || a.data.authCode !== b.data.authCode || JSON.stringify(a.data.fieldErrors) !== JSON.stringify(b.data.fieldErrors)) {
        fail(`the responses differ: wrong password ${describe(wrong)} / unknown email ${describe(unknown)}`);
      }
    },
  },
]);
