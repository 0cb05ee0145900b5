// Password reset: the request never says whether an account exists, a reset token works once,
// for its owner's password only, and nothing else is accepted in its place.
import { defineGroup } from "../conformance-case.ts";
import { describe, expectStatus, fail } from "../lib/expect.ts";
import { expectLinkRefused, resetToken } from "../lib/mailed-links.ts";
import { authPayloadOf } from "../lib/payloads.ts";
import { expectTokenAccepted, expectTokenRejected } from "../lib/probe.ts";
import { expectRefreshRefused } from "../lib/session-calls.ts";
import { registerUser, signinUser, strongPassword, uniqueEmail } from "../lib/users.ts";

const CONCURRENT_USES = 20;

/** Password reset over HTTP; the cases that need a mailed link read it from the suite's SMTP server. */
export const passwordResetCases = defineGroup("password reset", [
  {
    name: "a reset request answers a known and an unknown email with the same status and body",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const known = await ctx.api.mutation("auth.requestPasswordReset", { email: user.email });
      const unknown = await ctx.api.mutation("auth.requestPasswordReset", { email: uniqueEmail("nobody") });
      expectStatus(known, 200, "a reset request for a known email");
      if (unknown.status !== known.status || unknown.text !== known.text) {
        fail(`known and unknown emails are told apart: ${describe(known)} vs ${describe(unknown)}`);
      }
    },
  },
  {
    name: "a malformed reset request (no email, not an email, 10 KB) is a 400, never a 500",
    run: async (ctx) => {
      for (const input of [{}, { email: "not-an-email" }, { email: `${"a".repeat(10_000)}@example.test` }, { email: 42 }]) {
        expectStatus(await ctx.api.mutation("auth.requestPasswordReset", input), 400, `requestPasswordReset(${JSON.stringify(input).slice(0, 40)})`);
      }
    },
  },
  {
    name: "an access token, a refresh token or random bytes are not reset tokens, and change nothing",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const password = strongPassword();
      const random = Buffer.alloc(32, 7).toString("base64url");
      for (const [what, token] of [
        ["a refresh token", user.refreshToken],
        ["random bytes", random],
        ["an access token", user.accessToken],
      ] as const) {
        const response = await ctx.api.mutation("auth.resetPassword", { token, password });
        // A JWT is not even shaped like a reset token: the input check may refuse it first.
        expectLinkRefused(response, what === "an access token" ? ["LINK_INVALID", "INVALID_INPUT"] : ["LINK_INVALID"], what);
      }
      await signinUser(ctx, user);
      await expectTokenAccepted(ctx, user.accessToken, user.id);
    },
  },
  {
    name: "a reset link works once, signs in, and revokes every other session",
    needs: ["mail"],
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const token = await resetToken(ctx, user.email);
      const password = strongPassword();
      const payload = authPayloadOf(await ctx.api.mutation("auth.resetPassword", { token, password }));
      if (payload.user.id !== user.id) fail(`the reset signed in ${payload.user.id}, not ${user.id}`);
      await expectTokenAccepted(ctx, payload.accessToken, user.id);
      await expectTokenRejected(ctx, user.accessToken, { authCode: "SESSION_REVOKED" });
      await expectRefreshRefused(ctx, user.refreshToken);
      expectLinkRefused(await ctx.api.mutation("auth.resetPassword", { token, password: strongPassword() }), ["LINK_USED"], "a second use");
      await signinUser(ctx, { email: user.email, password });
    },
  },
  {
    name: `${CONCURRENT_USES} concurrent uses of one reset token: exactly one succeeds`,
    needs: ["mail"],
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const token = await resetToken(ctx, user.email);
      const responses = await Promise.all(
        Array.from({ length: CONCURRENT_USES }, () => ctx.api.mutation("auth.resetPassword", { token, password: strongPassword() })),
      );
      const succeeded = responses.filter((response) => response.status === 200);
      if (succeeded.length !== 1) fail(`${succeeded.length} of ${CONCURRENT_USES} concurrent resets succeeded`);
      for (const response of responses) if (response.status !== 200) expectLinkRefused(response, ["LINK_USED"], "a concurrent use");
    },
  },
  {
    name: "a reset token is neither a bearer token nor a refresh token",
    needs: ["mail"],
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const token = await resetToken(ctx, user.email);
      await expectTokenRejected(ctx, token);
      await expectRefreshRefused(ctx, token);
      // Refused elsewhere, it still resets: the misuse neither consumed nor leaked it.
      authPayloadOf(await ctx.api.mutation("auth.resetPassword", { token, password: strongPassword() }));
    },
  },
  {
    name: "an expired reset link is refused with LINK_EXPIRED, and changes nothing",
    needs: ["mail", "short-reset-ttl"],
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const token = await resetToken(ctx, user.email);
      await new Promise((resolve) => setTimeout(resolve, (ctx.options.resetTtl + 1) * 1000));
      expectLinkRefused(await ctx.api.mutation("auth.resetPassword", { token, password: strongPassword() }), ["LINK_EXPIRED"], "an expired link");
      await signinUser(ctx, user);
    },
  },
]);
