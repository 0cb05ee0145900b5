/**
 * Signing in with a passkey, alone (usernameless, discoverable credentials, Conditional UI) or
 * as the second step after a password.
 *
 * - A passkey sign-in opens the session with `amr` `["hwk" | "swk", "user", "mfa"]` and never
 *   asks a second step: user verification is required, so it already is two factors.
 * - Every answer uses up its challenge first, in the transaction that opens the session; the
 *   passkey's owner row is locked before the passkey is read again, so a removal or a credential
 *   change either committed before (and the passkey is gone) or waits for this sign-in.
 * - A signature counter that went backwards is refused and reported through `onWarning`: two
 *   authenticators answering for one credential means one of them is a copy.
 */
import { eq } from "drizzle-orm";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { passkeyAMR } from "../amr.ts";
import type { AuthConfig } from "../config/options.ts";
import type { RelyingParty } from "../config/relying-party.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import { recordSecurityEvent } from "../database/security-event-log.ts";
import { toUser, type Tx, userColumns } from "../database/rows.ts";
import { users } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import { parseInput } from "../input.ts";
import type { MFAChallenges, OpenChallenge } from "../second-factors/mfa-challenges.ts";
import { mfaTokenInvalid } from "../second-factors/second-step.ts";
import type { OpenedSession, SigninOwner } from "../sessions/session-store.ts";
import { cleanClientInfo } from "../throttling/client-info.ts";
import type { SigninThrottle } from "../throttling/throttle.ts";
import type { AuthResult, ClientInfo, User } from "../types.ts";
import { passkeySigninOptionsInputSchema, signinWithPasskeyInputSchema, type PasskeySigninOptionsInput, type SigninWithPasskeyInput } from "./passkey-input.ts";
import type { PasskeyRow, PasskeyStore } from "./passkey-store.ts";
import { assertionOptions, type PasskeyRequestOptions, signedChallenge, toBase64URL, userHandle, verifyAssertion } from "./webauthn-ceremony.ts";
import type { CeremonyPurpose, WebAuthnChallenges } from "./webauthn-challenges.ts";

export const passkeyInvalid = (): AuthError => new AuthError("PASSKEY_INVALID", "The passkey could not be verified; try again.");

export const passkeysOff = (): AuthError =>
  new AuthError("INVALID_INPUT", "Passkeys are off on this server: its APP_URL cannot host them (set AUTH_WEBAUTHN_RP_ID and AUTH_WEBAUTHN_ORIGINS).");

/** The relying party, or `INVALID_INPUT` when passkeys are off. */
export function requireRelyingParty(rp: RelyingParty | null): RelyingParty {
  if (!rp) throw passkeysOff();
  return rp;
}

interface Deps {
  config: AuthConfig;
  store: PasskeyStore;
  challenges: WebAuthnChallenges;
  mfa: MFAChallenges;
  throttle: Pick<SigninThrottle, "beginPasskey">;
  openSession(tx: Tx, owner: SigninOwner, client: ClientInfo): Promise<OpenedSession>;
  result(user: User, opened: OpenedSession): Promise<AuthResult>;
}

/** A passkey's answer to a challenge of `purpose`, checked: the stored passkey and its owner, or why not. */
export type PasskeyAnswer = { ok: true; passkey: PasskeyRow; consumed: { userId: string | null; mfaChallengeId: string | null; credentialVersion: number | null } } | { ok: false };

/**
 * Uses up the challenge the response signed (if it is for `purpose`), then verifies the
 * response against the stored passkey it names, after locking the passkey owner's user row.
 * `owner` restricts whose passkey may answer (a second step, a confirmation).
 */
export async function answerChallenge(
  deps: { config: AuthConfig; store: PasskeyStore; challenges: WebAuthnChallenges },
  tx: Tx,
  request: { response: AuthenticationResponseJSON; purpose: CeremonyPurpose; owner?: string; client?: ClientInfo },
): Promise<PasskeyAnswer> {
  const rp = requireRelyingParty(deps.config.relyingParty);
  const { response, purpose, owner } = request;
  const challenge = signedChallenge(response);
  if (challenge === null) return { ok: false };
  const consumed = await deps.challenges.consume(tx, challenge, purpose);
  if (!consumed) return { ok: false };
  const found = await deps.store.find(tx, response.id);
  if (!found || (owner !== undefined && found.userId !== owner)) return { ok: false };
  // The user row first, as every credential change takes it; then the passkey again, as it is now.
  if ((await lockCredentialVersion(tx, found.userId)) === null) return { ok: false };
  const passkey = await deps.store.find(tx, response.id);
  if (!passkey || passkey.userId !== found.userId) return { ok: false };
  // A discoverable credential names its user: it must be the passkey's owner.
  const handle = response.response.userHandle;
  if (handle !== undefined && handle !== toBase64URL(userHandle(passkey.userId))) return { ok: false };
  const check = await verifyAssertion(rp, passkey, { response, challenge });
  if (!check.ok) {
    if (check.reason === "counter_regressed") {
      // Committed with the refusal: the owner sees it in the activity log, the operator in the logs.
      await recordSecurityEvent(tx, {
        userId: passkey.userId,
        type: "passkey_counter_regressed",
        at: deps.config.now(),
        ipAddress: request.client?.ipAddress,
        userAgent: request.client?.userAgent,
        detail: { passkey: passkey.id, stored: passkey.counter, received: check.counter ?? 0 },
      });
      deps.config.onWarning(
        `auth: passkey ${passkey.id} of user ${passkey.userId} refused: its signature counter went from ${passkey.counter} to ${check.counter ?? 0}, a sign of a cloned authenticator`,
        new Error("signature counter regressed"),
      );
    }
    return { ok: false };
  }
  await deps.store.used(tx, passkey.id, { counter: check.counter, backedUp: check.backedUp, at: deps.config.now() });
  return { ok: true, passkey, consumed };
}

export interface PasskeySignin {
  passkeySigninOptions(input?: PasskeySigninOptionsInput, client?: ClientInfo): Promise<PasskeyRequestOptions>;
  signinWithPasskey(input: SigninWithPasskeyInput, client?: ClientInfo): Promise<AuthResult>;
}

/**
 * @example
 * const options = await auth.passkeySigninOptions();          // to startAuthentication() in the browser
 * const { accessToken } = await auth.signinWithPasskey({ response });
 */
export function createPasskeySignin(deps: Deps): PasskeySignin {
  const { config, store, challenges, mfa } = deps;
  const { db } = config;

  /** A challenge bound to the second step of `mfaToken`, for that user's passkeys only. */
  async function secondStepOptions(rp: RelyingParty, mfaToken: string, client: ClientInfo): Promise<PasskeyRequestOptions> {
    return db.transaction(async (tx) => {
      const open: OpenChallenge | null = await mfa.open(tx, mfaToken, client);
      if (!open) throw mfaTokenInvalid();
      const keys = await store.list(tx, open.userId);
      if (keys.length === 0) throw new AuthError("INVALID_INPUT", "This account has no passkey.");
      const binding = { userId: open.userId, credentialVersion: open.credentialVersion, mfaChallengeId: open.id };
      return assertionOptions(rp, keys, await challenges.issue(tx, "second_step", binding));
    });
  }

  return {
    async passkeySigninOptions(input = {}, rawClient = {}) {
      const rp = requireRelyingParty(config.relyingParty);
      const { mfaToken } = parseInput(passkeySigninOptionsInputSchema, input);
      if (mfaToken !== undefined) return secondStepOptions(rp, mfaToken, cleanClientInfo(rawClient));
      // Usernameless: no user named, no passkey listed; the browser offers what it holds for this RP.
      return assertionOptions(rp, [], await challenges.issue(db, "signin"));
    },

    async signinWithPasskey(input, rawClient = {}) {
      const client = cleanClientInfo(rawClient);
      requireRelyingParty(config.relyingParty);
      const { response } = parseInput(signinWithPasskeyInputSchema, input);
      const attempt = await deps.throttle.beginPasskey(client.ipAddress);
      let outcome: { user: User; opened: OpenedSession } | null;
      try {
        outcome = await db.transaction(async (tx) => {
          const answer = await answerChallenge(deps, tx, { response: response as AuthenticationResponseJSON, purpose: "signin", client });
          if (!answer.ok) return null;
          const { passkey } = answer;
          const [user] = await tx.select(userColumns).from(users).where(eq(users.id, passkey.userId));
          const credentialVersion = await lockCredentialVersion(tx, passkey.userId);
          if (!user || credentialVersion === null) return null;
          const amr = passkeyAMR({ synced: passkey.backupEligible, afterPassword: false });
          return { user: toUser(user), opened: await deps.openSession(tx, { userId: passkey.userId, credentialVersion, amr, method: "passkey" }, client) };
        });
      } catch (error) {
        await attempt.abandon();
        throw error;
      }
      if (!outcome) {
        await attempt.failed();
        throw passkeyInvalid();
      }
      await attempt.succeeded();
      return deps.result(outcome.user, outcome.opened);
    },
  };
}
