import {
  addPasskeyInputSchema,
  type Passkey,
  type PasskeyCreationOptions,
  type PasskeyRequestOptions,
  passkeyRegistrationOptionsInputSchema,
  passkeySigninOptionsInputSchema,
  removePasskeyInputSchema,
  renamePasskeyInputSchema,
  signinWithPasskeyInputSchema,
} from "@bearer-kit/auth";
import type { AuthPayload } from "../auth-payload.ts";
import { respondWithTokens } from "../respond-with-tokens.ts";
import { protectedProcedure, publicProcedure, router } from "../trpc.ts";

/** One of the user's passkeys, as the passkeys list shows it. */
export interface PasskeySummary {
  /** The WebAuthn credential id, base64url. */
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** Synced through a passkey provider (multi-device), rather than bound to one authenticator. */
  synced: boolean;
}

const summary = (passkey: Passkey): PasskeySummary => ({
  id: passkey.id,
  name: passkey.name,
  createdAt: passkey.createdAt.toISOString(),
  lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  synced: passkey.synced,
});

/**
 * The signed-in user's passkeys, merged into `account.*` (router/account.ts). Adding and removing
 * one re-authenticate (the password, and while TOTP or another passkey is on, a `code` or a
 * `passkey` assertion answering `account.passkeyConfirmOptions`), are mailed to the owner and
 * void outstanding links and half-finished sign-ins; sessions stay.
 *
 * @example
 * const options = await caller.account.passkeyRegistrationOptions({ password });
 * const { passkey } = await caller.account.addPasskey({ response: await startRegistration({ optionsJSON: options }) });
 */
export const passkeyAccountRouter = router({
  passkeys: protectedProcedure.query(async ({ ctx }): Promise<PasskeySummary[]> => (await ctx.auth.passkeys(ctx.user.id)).map(summary)),

  passkeyConfirmOptions: protectedProcedure.mutation(
    ({ ctx }): Promise<PasskeyRequestOptions> => ctx.auth.passkeyConfirmOptions({ user: ctx.user, session: ctx.session }),
  ),

  passkeyRegistrationOptions: protectedProcedure
    .input(passkeyRegistrationOptionsInputSchema)
    .mutation(
      ({ ctx, input }): Promise<PasskeyCreationOptions> => ctx.auth.passkeyRegistrationOptions({ user: ctx.user, session: ctx.session }, input, ctx.client),
    ),

  // `recoveryCodes` only when this is the account's first second factor: shown once, stored hashed.
  addPasskey: protectedProcedure
    .input(addPasskeyInputSchema)
    .mutation(async ({ ctx, input }): Promise<{ passkey: PasskeySummary; recoveryCodes: string[] | null }> => {
      const added = await ctx.auth.addPasskey({ user: ctx.user, session: ctx.session }, input);
      return { passkey: summary(added.passkey), recoveryCodes: added.recoveryCodes };
    }),

  renamePasskey: protectedProcedure
    .input(renamePasskeyInputSchema)
    .mutation(async ({ ctx, input }): Promise<PasskeySummary> => summary(await ctx.auth.renamePasskey({ user: ctx.user, session: ctx.session }, input))),

  removePasskey: protectedProcedure.input(removePasskeyInputSchema).mutation(async ({ ctx, input }): Promise<{ ok: true }> => {
    await ctx.auth.removePasskey({ user: ctx.user, session: ctx.session }, input, ctx.client);
    return { ok: true };
  }),
});

/**
 * Passkey sign-in, merged into `auth.*` (router/auth.ts): options (usernameless, or for the second
 * step of `mfaToken`), then the assertion. Answers like `auth.signin`, cookie mode included, and
 * never asks a second step. `PASSKEY_INVALID` (401) for any assertion that does not verify.
 *
 * @example
 * const options = await caller.auth.passkeySigninOptions({});
 * const { accessToken } = await caller.auth.signinWithPasskey({ response: await startAuthentication({ optionsJSON: options }) });
 */
export const passkeySigninRouter = router({
  passkeySigninOptions: publicProcedure
    .input(passkeySigninOptionsInputSchema)
    .mutation(({ ctx, input }): Promise<PasskeyRequestOptions> => ctx.auth.passkeySigninOptions(input, ctx.client)),

  signinWithPasskey: publicProcedure
    .input(signinWithPasskeyInputSchema)
    .mutation(async ({ ctx, input }): Promise<AuthPayload> => respondWithTokens(ctx, await ctx.auth.signinWithPasskey(input, ctx.client))),
});
