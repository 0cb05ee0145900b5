import { changeEmailInputSchema, signinInputSchema } from "@bearer-kit/auth";
import { z } from "zod";
import { clearRefreshCookie } from "../http/refresh-cookie.ts";
import { mergeRouters, protectedProcedure, router } from "../trpc.ts";
import { passkeyAccountRouter } from "./passkeys.ts";
import { securityEventsAccountRouter } from "./security-events.ts";
import { twoFactorAccountRouter } from "./two-factor.ts";

// The core's transport bound (1 to 1024 characters); the policy itself is checked by the core,
// which reports a short new password as WEAK_PASSWORD on `newPassword`.
const password = signinInputSchema.shape.password;
// With two-step verification on, a TOTP or recovery code besides the password (SECOND_FACTOR_INVALID without).
const code = changeEmailInputSchema.shape.code;

/** One of the user's live sessions, as the sessions list shows it. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ipAddress: string | null;
  /** True for the session of the token that made this request. */
  current: boolean;
}

const selfServiceRouter = router({
  changePassword: protectedProcedure
    .input(z.object({ currentPassword: password, newPassword: password, code }))
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      // Revokes every other session: whoever else held a token or refresh token is signed out.
      await ctx.auth.changePassword({ user: ctx.user, session: ctx.session }, input, ctx.client);
      return { ok: true };
    }),

  // The address changes only when the link mailed to it is used (auth.verifyEmail); the old
  // address is told. Re-authenticates, throttled like sign-in.
  changeEmail: protectedProcedure
    .input(changeEmailInputSchema)
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await ctx.auth.changeEmail({ user: ctx.user, session: ctx.session }, input, ctx.client);
      return { ok: true };
    }),

  delete: protectedProcedure
    .input(z.object({ password, code }))
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await ctx.auth.deleteUser({ user: ctx.user, session: ctx.session }, input, ctx.client);
      clearRefreshCookie(ctx.resHeaders, ctx.refreshCookie);
      return { ok: true };
    }),

  sessions: protectedProcedure.query(async ({ ctx }): Promise<SessionSummary[]> => {
    const sessions = await ctx.auth.listSessions(ctx.user.id);
    return sessions.map((session) => ({
      id: session.id,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      userAgent: session.userAgent,
      ipAddress: session.ipAddress,
      current: session.id === ctx.session.id,
    }));
  }),

  revokeSession: protectedProcedure
    // Only a well-formed id reaches the database, so junk is a 400, never a SQL error.
    .input(z.object({ id: z.uuid("Enter a session id") }))
    .mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
      await ctx.auth.revokeSession(ctx.user.id, input.id);
      return { ok: true };
    }),
});

/**
 * Self-service account management for the signed-in user, with two-step verification
 * (router/two-factor.ts), passkeys (router/passkeys.ts) and the security activity log
 * (router/security-events.ts) merged in, so every procedure stays under `account.*`.
 *
 * @example await caller.account.changePassword({ currentPassword, newPassword })
 */
export const accountRouter = mergeRouters(selfServiceRouter, twoFactorAccountRouter, passkeyAccountRouter, securityEventsAccountRouter);
