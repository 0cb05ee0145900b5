/**
 * The second factors of each user as stored: one TOTP authenticator (`totp_factors`: the sealed
 * secret, whether it is on, the last step accepted), a set of recovery codes (`recovery_codes`:
 * keyed hashes, each used once) and, counted here, the passkeys (`passkeys`; the passkeys/
 * folder verifies them). Recovery codes work while TOTP or a passkey is on. Every write runs in the caller's transaction, after the caller
 * locked the user row, so a use of a code and a credential change are ordered one way or the other.
 */
import { randomUUID } from "node:crypto";
import { and, count, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import type { AuthConfig } from "../config/options.ts";
import { REVOCATION_CHANNEL } from "../database/revocation-hub.ts";
import { passkeys, recoveryCodes, totpFactors } from "../database/schema.ts";
import { createRecoveryCodeHasher, createRecoveryCodes, normalizeRecoveryCode } from "./recovery-codes.ts";
import { createSecretBox, TOTP_SECRET_LABEL } from "./secret-box.ts";
import { matchTOTP } from "./totp.ts";

/** The ways to answer a second step, as `auth.signin` names them in `methods`. */
export type SecondFactorMethod = "totp" | "recovery_code" | "passkey";
/** The codes: what `use` accepts (a passkey is verified by the passkeys/ folder). */
export const SECOND_FACTOR_METHODS: readonly SecondFactorMethod[] = Object.freeze(["totp", "recovery_code"]);

/** What a second step proved: a TOTP, a recovery code (with how many unused ones are left), or a passkey. */
export type FactorUse = { method: "totp" } | { method: "recovery_code"; left: number } | { method: "passkey" };

/** What `auth.me` reports. */
export interface TwoFactorStatus {
  totp: boolean;
  recoveryCodesLeft: number;
  /** How many passkeys the account has: each signs in alone and answers a second step. */
  passkeys: number;
}

export interface FactorStore {
  /** Whether TOTP is on and how many recovery codes are unused; reads only. */
  status(db: AuthDB, userId: string): Promise<TwoFactorStatus>;
  /** Whether TOTP is on. */
  totpOn(db: AuthDB, userId: string): Promise<boolean>;
  /**
   * The ways this account answers a second step, empty when it has none (a password sign-in
   * then opens the session): TOTP and recovery codes while TOTP is on, recovery codes left from
   * a first passkey, and `passkey` while it has one.
   */
  methods(db: AuthDB, userId: string): Promise<SecondFactorMethod[]>;
  /**
   * Accepts `code` by one of `methods`: a TOTP code of a step after the last one used (the
   * step is stored), or an unused recovery code (marked used). `null` when it is neither, or
   * when no second factor is on. Locks the factor row, so two uses of one code run one after the other.
   */
  use(tx: AuthDB, request: { userId: string; code: string; methods: readonly SecondFactorMethod[] }): Promise<FactorUse | null>;
  /** Stores a new pending secret, replacing a pending one; `false` (nothing written) when TOTP is already on. */
  setPending(tx: AuthDB, userId: string, secret: string): Promise<boolean>;
  /** Turns the pending secret on if `code` is current for it, storing its step; says why not otherwise. */
  enable(tx: AuthDB, userId: string, code: string): Promise<"enabled" | "no_pending" | "wrong_code">;
  /** Removes the authenticator, and the recovery codes unless a passkey still needs them. */
  remove(tx: AuthDB, userId: string): Promise<void>;
  /** Replaces the recovery codes with a new set and returns it, for display once. */
  replaceRecoveryCodes(tx: AuthDB, userId: string): Promise<string[]>;
}

export function createFactorStore(config: Pick<AuthConfig, "secret" | "now">): FactorStore {
  const box = createSecretBox(config.secret, TOTP_SECRET_LABEL);
  const hashCode = createRecoveryCodeHasher(config.secret);

  async function lockFactor(tx: AuthDB, userId: string) {
    const [row] = await tx.select().from(totpFactors).where(eq(totpFactors.userId, userId)).for("update");
    return row ?? null;
  }

  async function unusedCodes(db: AuthDB, userId: string): Promise<number> {
    const [row] = await db
      .select({ left: count() })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
    return row?.left ?? 0;
  }

  async function useTOTP(tx: AuthDB, factor: typeof totpFactors.$inferSelect, code: string): Promise<boolean> {
    const now = config.now();
    const step = matchTOTP(box.open(factor.encryptedSecret, factor.userId), code, { now, after: factor.lastUsedStep });
    if (step === null) return false;
    await tx.update(totpFactors).set({ lastUsedStep: step }).where(eq(totpFactors.userId, factor.userId));
    return true;
  }

  async function useRecoveryCode(tx: AuthDB, userId: string, code: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(code);
    if (normalized === null) return false;
    // One conditional UPDATE: of two uses of the same code, exactly one finds it unused.
    const used = await tx
      .update(recoveryCodes)
      .set({ usedAt: config.now() })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashCode(normalized)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    if (used.length === 0) return false;
    // The count of codes left changed: tell every instance, on commit, so none shows the old one
    // from its cache (cached-factor-status.ts). The same message a users-row change sends.
    await tx.execute(sql`select pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify({ u: userId, r: null })})`);
    return true;
  }

  async function passkeyCount(db: AuthDB, userId: string): Promise<number> {
    const [row] = await db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId));
    return row?.n ?? 0;
  }

  async function totpOn(db: AuthDB, userId: string): Promise<boolean> {
    const [factor] = await db
      .select({ userId: totpFactors.userId })
      .from(totpFactors)
      .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.enabledAt)));
    return factor !== undefined;
  }

  return {
    async status(db, userId) {
      const [on, keys] = await Promise.all([totpOn(db, userId), passkeyCount(db, userId)]);
      return { totp: on, recoveryCodesLeft: on || keys > 0 ? await unusedCodes(db, userId) : 0, passkeys: keys };
    },

    totpOn,

    async methods(db, userId) {
      const [on, keys] = await Promise.all([totpOn(db, userId), passkeyCount(db, userId)]);
      if (on) return keys > 0 ? ["totp", "recovery_code", "passkey"] : ["totp", "recovery_code"];
      if (keys === 0) return [];
      return (await unusedCodes(db, userId)) > 0 ? ["recovery_code", "passkey"] : ["passkey"];
    },

    async use(tx, { userId, code, methods }) {
      const factor = await lockFactor(tx, userId);
      const on = factor !== null && factor.enabledAt !== null;
      // Codes count only while a second factor is on: a pending secret, or codes left from
      // before, prove nothing.
      if (!on && (await passkeyCount(tx, userId)) === 0) return null;
      if (on && methods.includes("totp") && (await useTOTP(tx, factor, code))) return { method: "totp" };
      if (methods.includes("recovery_code") && (await useRecoveryCode(tx, userId, code))) {
        return { method: "recovery_code", left: await unusedCodes(tx, userId) };
      }
      return null;
    },

    async setPending(tx, userId, secret) {
      const factor = await lockFactor(tx, userId);
      if (factor?.enabledAt) return false;
      const values = { encryptedSecret: box.seal(secret, userId), enabledAt: null, lastUsedStep: null, createdAt: config.now() };
      await tx
        .insert(totpFactors)
        .values({ userId, ...values })
        .onConflictDoUpdate({ target: totpFactors.userId, set: values });
      return true;
    },

    async enable(tx, userId, code) {
      const factor = await lockFactor(tx, userId);
      if (!factor || factor.enabledAt !== null) return "no_pending";
      const step = matchTOTP(box.open(factor.encryptedSecret, userId), code, { now: config.now(), after: null });
      if (step === null) return "wrong_code";
      await tx.update(totpFactors).set({ enabledAt: config.now(), lastUsedStep: step }).where(eq(totpFactors.userId, userId));
      return "enabled";
    },

    async remove(tx, userId) {
      // A passkey-only account keeps its way back in.
      if ((await passkeyCount(tx, userId)) === 0) await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
    },

    async replaceRecoveryCodes(tx, userId) {
      const codes = createRecoveryCodes();
      const now = config.now();
      // The old set dies in the same transaction the new one is born in: never two sets at once.
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.insert(recoveryCodes).values(
        codes.map((code) => ({ id: randomUUID(), userId, codeHash: hashCode(normalizeRecoveryCode(code) ?? code), createdAt: now })),
      );
      return codes;
    },
  };
}
