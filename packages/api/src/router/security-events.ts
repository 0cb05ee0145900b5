import { reportUnrecognizedSigninInputSchema, SECURITY_EVENTS_MAX_LIMIT, type SecurityEventType } from "@bearer-kit/auth";
import { z } from "zod";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

/** One entry of the signed-in user's activity log, dates as ISO strings. */
export interface SecurityEventSummary {
  id: string;
  type: SecurityEventType;
  createdAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  sessionId: string | null;
  /** Small and never secret: a sign-in's `method` and `new_device`, a session end's `reason`, a factor change's `factor` and `change`. */
  detail: Record<string, unknown>;
}

/**
 * The user's security activity, merged into `account.*` (router/account.ts): newest first, paged
 * with the opaque `nextCursor` (`INVALID_INPUT` for a cursor not made by the server).
 *
 * @example
 * const first = await caller.account.securityEvents({ limit: 20 });
 * const older = await caller.account.securityEvents({ cursor: first.nextCursor });
 */
export const securityEventsAccountRouter = router({
  securityEvents: protectedProcedure
    .input(
      z
        .object({
          cursor: z.string().max(512).nullish(),
          limit: z.number().int().min(1).max(SECURITY_EVENTS_MAX_LIMIT).optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input }): Promise<{ events: SecurityEventSummary[]; nextCursor: string | null }> => {
      const page = await ctx.auth.securityEvents(ctx.user.id, { cursor: input?.cursor ?? null, ...(input?.limit ? { limit: input.limit } : {}) });
      return {
        events: page.events.map((event) => ({ ...event, createdAt: event.createdAt.toISOString() })),
        nextCursor: page.nextCursor,
      };
    }),
});

/**
 * The "This wasn't me" link of a new-device alert, merged into `auth.*` (router/auth.ts). Public:
 * the owner opens it from their mailbox, signed in or not. It signs the account out everywhere and
 * answers a password-reset token for `/reset-password#token=…`.
 *
 * @example const { resetToken } = await caller.auth.reportUnrecognizedSignin({ token });
 */
export const unrecognizedSigninRouter = router({
  reportUnrecognizedSignin: publicProcedure
    .input(reportUnrecognizedSigninInputSchema)
    .mutation(({ ctx, input }): Promise<{ resetToken: string }> => ctx.auth.reportUnrecognizedSignin(input)),
});
