/**
 * A signed-in user's passkeys: list, add, rename, remove.
 *
 * - Adding and removing are credential changes: each checks the password and, while the account
 *   has TOTP or another passkey, a fresh second step (a code, or an assertion by one of its
 *   passkeys), then raises the credential version in the transaction that stores the change:
 *   mailed links, pending email changes and half-finished sign-ins die; live sessions stay.
 * - Registration options are bound to the user and to that credential version: options asked
 *   before a password reset (or any other change) cannot register a passkey after it.
 * - The first second factor of an account comes with recovery codes, shown once: a passkey-only
 *   account that loses its passkey still has a way back in.
 * - Removing the last passkey of an account without TOTP leaves it with the password alone, and
 *   its recovery codes go with it.
 */
import { eq } from "drizzle-orm";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { AuthConfig } from "../config/options.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import type { Tx } from "../database/rows.ts";
import { recoveryCodes, users } from "../database/schema.ts";
import { AuthError } from "../errors.ts";
import { parseInput } from "../input.ts";
import { assertUnchanged, type Confirmed, type Current } from "../passwords/confirm-password.ts";
import type { FactorStore } from "../second-factors/factor-store.ts";
import { factorChanged } from "../second-factors/factor-changed.ts";
import { proveSecondFactor } from "../second-factors/second-factor-attempt.ts";
import type { SecondFactorThrottle } from "../second-factors/second-step.ts";
import type { CodeConfirmation } from "../second-factors/totp-enrolment.ts";
import type { ClientInfo } from "../types.ts";
import {
  type AddPasskeyInput,
  addPasskeyInputSchema,
  type PasskeyRegistrationOptionsInput,
  passkeyRegistrationOptionsInputSchema,
  type RemovePasskeyInput,
  removePasskeyInputSchema,
  type RenamePasskeyInput,
  renamePasskeyInputSchema,
} from "./passkey-input.ts";
import { answerChallenge, requireRelyingParty } from "./passkey-signin.ts";
import { type Passkey, type PasskeyStore, toPasskey } from "./passkey-store.ts";
import { assertionOptions, type PasskeyCreationOptions, type PasskeyRequestOptions, registrationOptions, signedChallenge, verifyRegistration } from "./webauthn-ceremony.ts";
import type { WebAuthnChallenges } from "./webauthn-challenges.ts";

/** The mail a passkey change sends to the owner. */
export interface PasskeyMail {
  passkeyAdded(to: string, name: string): void;
  passkeyRemoved(to: string, name: string): void;
}

export interface PasskeyManagement {
  /** The user's passkeys, newest first. */
  passkeys(userId: string): Promise<Passkey[]>;
  /** Options for an assertion by one of the user's own passkeys: the fresh second step of a change. */
  passkeyConfirmOptions(current: Current): Promise<PasskeyRequestOptions>;
  /** Checks the password (and the second step, see above); options for `startRegistration`. */
  passkeyRegistrationOptions(current: Current, input: PasskeyRegistrationOptionsInput, client?: ClientInfo): Promise<PasskeyCreationOptions>;
  /** Verifies and stores the new passkey; `recoveryCodes` when it is the account's first second factor. */
  addPasskey(current: Current, input: AddPasskeyInput): Promise<{ passkey: Passkey; recoveryCodes: string[] | null }>;
  renamePasskey(current: Current, input: RenamePasskeyInput): Promise<Passkey>;
  removePasskey(current: Current, input: RemovePasskeyInput, client?: ClientInfo): Promise<void>;
}

interface Deps {
  config: AuthConfig;
  store: PasskeyStore;
  challenges: WebAuthnChallenges;
  factors: FactorStore;
  codes: CodeConfirmation;
  throttle: SecondFactorThrottle;
  mail: PasskeyMail;
  confirmPassword(current: Current, password: string, client: ClientInfo): Promise<Confirmed>;
  raiseKeepingSessions(tx: Tx, userId: string): Promise<void>;
}

const notFound = () => new AuthError("NOT_FOUND", "No such passkey.");

const registrationFailed = () => new AuthError("PASSKEY_REGISTRATION_FAILED", "The passkey could not be added; ask for new options and try again.");

export function createPasskeyManagement(deps: Deps): PasskeyManagement {
  const { config, store, challenges, factors } = deps;
  const { db } = config;

  /** Whether a change needs a second step: TOTP on, or a passkey other than `except`. */
  async function secondStepNeeded(userId: string, except?: string): Promise<boolean> {
    if (await factors.totpOn(db, userId)) return true;
    return (await store.list(db, userId)).some((passkey) => passkey.id !== except);
  }

  /** An assertion by one of the user's passkeys, answering a confirmation challenge issued under `confirmed`'s version. */
  async function confirmWithPasskey(current: Current, response: AuthenticationResponseJSON, confirmed: Confirmed): Promise<void> {
    const userId = current.user.id;
    await proveSecondFactor(deps.throttle, userId, () =>
      db.transaction(async (tx) => {
        await assertUnchanged(tx, userId, confirmed);
        const answer = await answerChallenge(deps, tx, { response, purpose: "confirm", owner: userId });
        const proved = answer.ok && answer.consumed.userId === userId && answer.consumed.credentialVersion === confirmed.credentialVersion;
        return proved || null;
      }),
    );
  }

  /** The password, then the fresh second step when one is needed; what the change must still find unchanged. */
  async function confirm(
    current: Current,
    input: { password: string; code?: string | undefined; passkey?: unknown; removing?: string },
    client: ClientInfo,
  ): Promise<Confirmed> {
    const except = input.removing;
    const confirmed = await deps.confirmPassword(current, input.password, client);
    if (!(await secondStepNeeded(current.user.id, except))) return confirmed;
    if (input.passkey !== undefined) await confirmWithPasskey(current, input.passkey as AuthenticationResponseJSON, confirmed);
    else await deps.codes.useCode(current, input.code, confirmed);
    return confirmed;
  }

  return {
    async passkeys(userId) {
      return (await store.list(db, userId)).map(toPasskey);
    },

    async passkeyConfirmOptions(current) {
      const rp = requireRelyingParty(config.relyingParty);
      return db.transaction(async (tx) => {
        const credentialVersion = await lockCredentialVersion(tx, current.user.id);
        const keys = await store.list(tx, current.user.id);
        if (credentialVersion === null || keys.length === 0) throw new AuthError("INVALID_INPUT", "This account has no passkey.");
        return assertionOptions(rp, keys, await challenges.issue(tx, "confirm", { userId: current.user.id, credentialVersion }));
      });
    },

    async passkeyRegistrationOptions(current, input, client = {}) {
      const rp = requireRelyingParty(config.relyingParty);
      const parsed = parseInput(passkeyRegistrationOptionsInputSchema, input);
      const confirmed = await confirm(current, parsed, client);
      return db.transaction(async (tx) => {
        await assertUnchanged(tx, current.user.id, confirmed);
        const [user] = await tx.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, current.user.id));
        if (!user) throw new AuthError("NOT_FOUND", "No such user.");
        const challenge = await challenges.issue(tx, "register", { userId: user.id, credentialVersion: confirmed.credentialVersion });
        return registrationOptions(rp, { user, existing: await store.list(tx, user.id), challenge });
      });
    },

    async addPasskey(current, input) {
      const rp = requireRelyingParty(config.relyingParty);
      const { response, name = "Passkey" } = parseInput(addPasskeyInputSchema, input);
      const userId = current.user.id;
      const challenge = signedChallenge(response);
      if (challenge === null) throw registrationFailed();
      const added = await db.transaction(async (tx) => {
        const consumed = await challenges.consume(tx, challenge, "register");
        // Options are the user's own and of the current security state: a credential change since voids them.
        const credentialVersion = await lockCredentialVersion(tx, userId);
        if (!consumed || consumed.userId !== userId || consumed.credentialVersion !== credentialVersion) return null;
        const verified = await verifyRegistration(rp, response as RegistrationResponseJSON, challenge);
        if (!verified) return null;
        const firstFactor = !(await factors.totpOn(tx, userId)) && (await store.list(tx, userId)).length === 0;
        const row = await store.insert(tx, { ...verified, userId, name, createdAt: config.now(), lastUsedAt: null });
        if (!row) return null;
        // A first second factor brings its recovery codes; a set already there (from TOTP) stays.
        const existing = firstFactor ? await tx.select({ id: recoveryCodes.id }).from(recoveryCodes).where(eq(recoveryCodes.userId, userId)).limit(1) : [{}];
        const codes = existing.length === 0 ? await factors.replaceRecoveryCodes(tx, userId) : null;
        await deps.raiseKeepingSessions(tx, userId);
        await factorChanged(tx, config.now(), { current, client: {}, factor: "passkey", change: "create" });
        return { passkey: toPasskey(row), recoveryCodes: codes };
      });
      // Committed either way: the used challenge must stay used.
      if (!added) throw registrationFailed();
      deps.mail.passkeyAdded(current.user.email, added.passkey.name);
      return added;
    },

    async renamePasskey(current, input) {
      const { id, name } = parseInput(renamePasskeyInputSchema, input);
      const row = await store.rename(db, { userId: current.user.id, id }, name);
      if (!row) throw notFound();
      return toPasskey(row);
    },

    async removePasskey(current, input, client = {}) {
      const parsed = parseInput(removePasskeyInputSchema, input);
      const userId = current.user.id;
      if (!(await store.list(db, userId)).some((passkey) => passkey.id === parsed.id)) throw notFound();
      const confirmed = await confirm(current, { ...parsed, removing: parsed.id }, client);
      const removed = await db.transaction(async (tx) => {
        await assertUnchanged(tx, userId, confirmed);
        const row = await store.remove(tx, { userId, id: parsed.id });
        if (!row) return null;
        // The last second factor gone: recovery codes would otherwise stand in for a factor that is no more.
        if (!(await factors.totpOn(tx, userId)) && (await store.list(tx, userId)).length === 0) {
          await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
        }
        await deps.raiseKeepingSessions(tx, userId);
        await factorChanged(tx, config.now(), { current, client, factor: "passkey", change: "delete" });
        return row;
      });
      if (!removed) throw notFound();
      deps.mail.passkeyRemoved(current.user.email, removed.name);
    },
  };
}
