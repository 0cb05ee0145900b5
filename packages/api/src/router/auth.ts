import { AuthError, type AuthErrorCode, registerInputSchema, signinInputSchema } from "@bearer-kit/auth";
import { z } from "zod";
import { type AuthPayload, type MePayload, type RegisterPayload, type SigninPayload, toPublicUser } from "../auth-payload.ts";
import { clearRefreshCookie, readRefreshCookie, usesCookieTransport } from "../http/refresh-cookie.ts";
import { respondWithStep, respondWithTokens } from "../respond-with-tokens.ts";
import { mergeRouters, protectedProcedure, publicProcedure, router } from "../trpc.ts";
import { recoveryRouter } from "./recovery.ts";
import { unrecognizedSigninRouter } from "./security-events.ts";
import { sessionEventsRouter } from "./session-events.ts";
import { passkeySigninRouter } from "./passkeys.ts";
import { secondStepRouter } from "./two-factor.ts";

// Bounded, but loosely. Every string that is not one of ours (an access token sent here by
// mistake, say) must get 401 TOKEN_INVALID from the core, not 400, so clients sign in again.
const refreshInputSchema = z.object({ refreshToken: z.string().min(1).max(8192).optional() }).optional();
const logoutInputSchema = z.object({ everywhere: z.boolean().optional() }).optional();

/** Refresh failures after which the cookie can never work again, so the browser drops it. */
const DEAD_TOKEN: ReadonlySet<AuthErrorCode> = new Set(["SESSION_REVOKED", "REFRESH_REUSED", "TOKEN_INVALID"]);

const signinRouter = router({
  register: publicProcedure.input(registerInputSchema).mutation(async ({ ctx, input }): Promise<RegisterPayload> => {
    const created = await ctx.auth.createAccount(input, ctx.client);
    if (created.verificationRequired) return { verificationRequired: true, email: created.email };
    return { ...respondWithTokens(ctx, created.result), verificationRequired: false };
  }),

  // With two-step verification on, `{ mfaRequired: true, mfaToken, methods }` and no token or
  // cookie: `auth.verifySecondFactor` opens the session.
  signin: publicProcedure
    .input(signinInputSchema)
    .mutation(async ({ ctx, input }): Promise<SigninPayload> => respondWithStep(ctx, await ctx.auth.signinOrChallenge(input, ctx.client))),

  refresh: publicProcedure.input(refreshInputSchema).mutation(async ({ ctx, input }): Promise<AuthPayload> => {
    // The cookie is read only when the client asked for cookie mode: see http/refresh-cookie.ts (CSRF).
    const cookieMode = usesCookieTransport(ctx.headers);
    const token = input?.refreshToken ?? (cookieMode ? readRefreshCookie(ctx.headers, ctx.refreshCookie.name) : null);
    if (!token) throw new AuthError("TOKEN_INVALID", "A refresh token is required.");
    try {
      return respondWithTokens(ctx, await ctx.auth.refresh(token, ctx.client));
    } catch (error) {
      if (cookieMode && error instanceof AuthError && DEAD_TOKEN.has(error.code)) {
        clearRefreshCookie(ctx.resHeaders, ctx.refreshCookie);
      }
      throw error;
    }
  }),

  logout: protectedProcedure.input(logoutInputSchema).mutation(async ({ ctx, input }): Promise<{ revoked: number }> => {
    const revoked = await ctx.auth.logout(ctx.session, { everywhere: input?.everywhere ?? false });
    // Cleared whatever the transport: harmless for API clients, and a browser must not keep a dead token.
    clearRefreshCookie(ctx.resHeaders, ctx.refreshCookie);
    return { revoked };
  }),

  me: protectedProcedure.query(
    async ({ ctx }): Promise<MePayload> => ({ ...toPublicUser(ctx.user), twoFactor: await ctx.auth.twoFactorStatus(ctx.user.id) }),
  ),
});

/**
 * Sign-up, sign-in, token refresh, logout and the current user; with the session's end pushed
 * (router/session-events.ts), the mailed-link flows (router/recovery.ts), the second step of a
 * sign-in (router/two-factor.ts), passkey sign-in (router/passkeys.ts) and the "This wasn't me" link
 * (router/security-events.ts) merged in, so every procedure stays under `auth.*`.
 *
 * @example
 * const { accessToken, refreshToken } = await caller.auth.signin({ email, password });
 */
export const authRouter = mergeRouters(signinRouter, sessionEventsRouter, recoveryRouter, secondStepRouter, passkeySigninRouter, unrecognizedSigninRouter);
