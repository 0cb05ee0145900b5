/**
 * Turning TOTP on and off, recovery codes, and the code a sensitive change asks for.
 *
 * - `totpSetup` (password) stores a pending secret, replacing a pending one; it counts for
 *   nothing until `totpEnable` confirms it with a current code.
 * - `totpEnable`, `totpDisable` and `regenerateRecoveryCodes` change the account's security
 *   state: each raises the credential version, so mailed links and pending sign-in steps die,
 *   while the live sessions move to the new version with it (they stay signed in, with the
 *   `amr` they had: nothing is upgraded).
 * - With TOTP on, `totpDisable`, `regenerateRecoveryCodes`, `changePassword`, `changeEmail` and
 *   `deleteUser` need a TOTP or recovery code besides the password (`SECOND_FACTOR_INVALID`).
 *   Wrong codes count per account like the second step's.
 */
import type { AuthDB } from "../database/auth-db.ts";
import { AuthError } from "../errors.ts";
import { assertUnchanged, type Confirmed, type Current } from "../passwords/confirm-password.ts";
import { lockCredentialVersion } from "../database/credential-version.ts";
import type { Tx } from "../database/rows.ts";
import { parseInput } from "../input.ts";
import type { AuthConfig } from "../config/options.ts";
import type { ClientInfo } from "../types.ts";
import { type FactorStore, type FactorUse, SECOND_FACTOR_METHODS, type TwoFactorStatus } from "./factor-store.ts";
import {
  type TOTPConfirmInput,
  totpConfirmInputSchema,
  type TOTPEnableInput,
  totpEnableInputSchema,
  type TOTPSetupInput,
  totpSetupInputSchema,
} from "./second-factor-input.ts";
import { factorChanged } from "./factor-changed.ts";
import { proveSecondFactor } from "./second-factor-attempt.ts";
import { secondFactorInvalid, type SecondFactorMail, type SecondFactorThrottle } from "./second-step.ts";
import { createTOTPSecret, totpURL } from "./totp.ts";

/** What `totpSetup` answers: the pending secret (base32) and its `otpauth://` URI. */
export interface TOTPSetupResult {
  secret: string;
  otpauthUrl: string;
}

/** Two-step verification for a signed-in user. */
export interface TOTPEnrolment {
  /**
   * Checks the password and stores a new pending secret; returns it (base32, 160 bits) and its
   * `otpauth://` URI for a QR code. `INVALID_INPUT` while TOTP is on: turn it off first.
   */
  totpSetup(current: Current, input: TOTPSetupInput, client?: ClientInfo): Promise<TOTPSetupResult>;
  /** Confirms the pending secret with a current code; returns 10 recovery codes, shown once. */
  totpEnable(current: Current, input: TOTPEnableInput): Promise<{ recoveryCodes: string[] }>;
  /** Checks the password and a TOTP or recovery code, then removes the authenticator and the codes. */
  totpDisable(current: Current, input: TOTPConfirmInput, client?: ClientInfo): Promise<void>;
  /** Checks the password and a code, then replaces the recovery codes; the old set dies at once. */
  regenerateRecoveryCodes(current: Current, input: TOTPConfirmInput, client?: ClientInfo): Promise<{ recoveryCodes: string[] }>;
  /** Whether TOTP is on and how many recovery codes are left. */
  twoFactorStatus(userId: string): Promise<TwoFactorStatus>;
}

/** Asks a sensitive change for its code (see `confirmCode`). */
export interface CodeConfirmation {
  /**
   * With TOTP on, accepts `code` (a TOTP or an unused recovery code) under the credential version
   * the password was confirmed at, or throws `SECOND_FACTOR_INVALID` (also when it is absent).
   * With TOTP off, does nothing: a change that enables it meanwhile raises the version, which
   * the caller's own `assertUnchanged` then refuses.
   */
  confirmCode(current: Current, code: string | undefined, confirmed: Confirmed): Promise<void>;
  /**
   * Accepts `code` (a TOTP while TOTP is on, or an unused recovery code while any second factor
   * is) under `confirmed`'s credential version, whatever the account has on, or throws
   * `SECOND_FACTOR_INVALID`: for a change whose caller decided a second step is due.
   */
  useCode(current: Current, code: string | undefined, confirmed: Confirmed): Promise<void>;
  /** Whether the account has TOTP on, read in the caller's transaction. */
  totpOn(db: AuthDB, userId: string): Promise<boolean>;
  /** Whether a sign-in needs a second step (TOTP or a passkey), read in the caller's transaction (a reset checks it under the user row lock). */
  secondFactorOn(db: AuthDB, userId: string): Promise<boolean>;
}

interface Deps {
  config: AuthConfig;
  factors: FactorStore;
  throttle: SecondFactorThrottle;
  mail: SecondFactorMail;
  confirmPassword(current: Current, password: string, client: ClientInfo): Promise<Confirmed>;
  /** Raises the credential version and moves the user's live sessions to it (see credential-version.ts). */
  raiseKeepingSessions(tx: Tx, userId: string): Promise<void>;
}

const totpOff = () => new AuthError("INVALID_INPUT", "Two-step verification is off.");

export function createTOTPEnrolment(deps: Deps): TOTPEnrolment & CodeConfirmation {
  const { config, factors, mail } = deps;
  const { db } = config;

  /**
   * Runs `change` in one transaction with the code's use, after checking the credential version
   * is still the one the password was confirmed under. The code's use commits only with the change.
   */
  async function withCode<T>(current: Current, proof: { code: string; confirmed: Confirmed }, change: (tx: Tx) => Promise<T>): Promise<{ value: T; used: FactorUse }> {
    const userId = current.user.id;
    return proveSecondFactor(deps.throttle, userId, () =>
      db.transaction(async (tx) => {
        await assertUnchanged(tx, userId, proof.confirmed);
        const used = await factors.use(tx, { userId, code: proof.code, methods: SECOND_FACTOR_METHODS });
        return used ? { value: await change(tx), used } : null;
      }),
    );
  }

  async function useCode(current: Current, code: string | undefined, confirmed: Confirmed): Promise<void> {
    if (code === undefined || code === "") throw secondFactorInvalid();
    const { used } = await withCode(current, { code, confirmed }, async () => undefined);
    if (used.method === "recovery_code") mail.recoveryCodeUsed(current.user.email, used.left);
  }

  return {
    async totpSetup(current, input, client = {}) {
      const { password } = parseInput(totpSetupInputSchema, input);
      const confirmed = await deps.confirmPassword(current, password, client);
      const secret = createTOTPSecret();
      const stored = await db.transaction(async (tx) => {
        await assertUnchanged(tx, current.user.id, confirmed);
        return factors.setPending(tx, current.user.id, secret);
      });
      // Replacing an authenticator that is on would let a password alone move the second factor.
      if (!stored) throw new AuthError("INVALID_INPUT", "Two-step verification is already on; turn it off first.");
      return { secret, otpauthUrl: totpURL({ secret, issuer: config.issuer, account: current.user.email }) };
    },

    async totpEnable(current, input) {
      const { code } = parseInput(totpEnableInputSchema, input);
      const userId = current.user.id;
      const enabled = await db.transaction(async (tx) => {
        if ((await lockCredentialVersion(tx, userId)) === null) return "no_pending" as const;
        const state = await factors.enable(tx, userId, code);
        if (state !== "enabled") return state;
        const recoveryCodes = await factors.replaceRecoveryCodes(tx, userId);
        await deps.raiseKeepingSessions(tx, userId);
        await factorChanged(tx, config.now(), { current, client: {}, factor: "totp", change: "create" });
        return { recoveryCodes };
      });
      if (enabled === "no_pending") throw new AuthError("INVALID_INPUT", "Set up two-step verification first.");
      if (enabled === "wrong_code") throw secondFactorInvalid();
      mail.totpEnabled(current.user.email);
      return enabled;
    },

    async totpDisable(current, input, client = {}) {
      const { password, code } = parseInput(totpConfirmInputSchema, input);
      const confirmed = await deps.confirmPassword(current, password, client);
      if (!(await factors.totpOn(db, current.user.id))) throw totpOff();
      await withCode(current, { code, confirmed }, async (tx) => {
        await factors.remove(tx, current.user.id);
        await deps.raiseKeepingSessions(tx, current.user.id);
        await factorChanged(tx, config.now(), { current, client, factor: "totp", change: "delete" });
      });
      mail.totpDisabled(current.user.email);
    },

    async regenerateRecoveryCodes(current, input, client = {}) {
      const { password, code } = parseInput(totpConfirmInputSchema, input);
      const confirmed = await deps.confirmPassword(current, password, client);
      if (!(await factors.totpOn(db, current.user.id))) throw totpOff();
      const { value: recoveryCodes } = await withCode(current, { code, confirmed }, async (tx) => {
        const codes = await factors.replaceRecoveryCodes(tx, current.user.id);
        await deps.raiseKeepingSessions(tx, current.user.id);
        await factorChanged(tx, config.now(), { current, client, factor: "recovery_codes", change: "update" });
        return codes;
      });
      mail.recoveryCodesRegenerated(current.user.email);
      return { recoveryCodes };
    },

    twoFactorStatus: (userId) => factors.status(db, userId),

    totpOn: (tx, userId) => factors.totpOn(tx, userId),

    secondFactorOn: async (tx, userId) => (await factors.methods(tx, userId)).length > 0,

    async confirmCode(current, code, confirmed) {
      if (!(await factors.totpOn(db, current.user.id))) return;
      await useCode(current, code, confirmed);
    },

    useCode,
  };
}
