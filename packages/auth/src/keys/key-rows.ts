import { and, eq, inArray, lt, sql } from "drizzle-orm";
import type { AuthDB } from "../database/auth-db.ts";
import { AuthError } from "../errors.ts";
import type { AsymmetricAlgorithm } from "../config/algorithms.ts";
import { signingKeys } from "../database/schema.ts";
import type { KeyEncryption } from "./key-encryption.ts";
import { generateKeyMaterial } from "./key-material.ts";
import type { Tx } from "../database/rows.ts";

// Arbitrary constant shared by every instance: the advisory lock that serialises key-set changes.
export const KEYS_LOCK_KEY = 4_217_733_092;

export type KeyRow = typeof signingKeys.$inferSelect;
export type KeyState = "next" | "current" | "previous" | "retired";

export interface KeyRowsContext {
  db: AuthDB;
  algorithm: AsymmetricAlgorithm;
  encryption: KeyEncryption;
  /** Seconds a key verifies after it stopped signing (reload interval + TTL + leeway). */
  verifyWindow: number;
  now: () => Date;
}

async function insertKey(tx: Tx, ctx: KeyRowsContext, state: "next" | "current"): Promise<void> {
  const material = await generateKeyMaterial(ctx.algorithm);
  const now = ctx.now();
  await tx.insert(signingKeys).values({
    kid: material.kid,
    alg: material.alg,
    state,
    publicJwk: material.publicJwk,
    encryptedPrivateKey: ctx.encryption.encrypt(material.privateJwk, material.kid),
    createdAt: now,
    activatedAt: state === "current" ? now : null,
  });
}

/** Runs `work` alone: every change to the key set takes the same transaction-scoped advisory lock. */
function locked<T>(ctx: KeyRowsContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`select pg_advisory_xact_lock(${KEYS_LOCK_KEY})`));
    return work(tx);
  });
}

const live = (tx: Tx | AuthDB) => tx.select().from(signingKeys).where(inArray(signingKeys.state, ["current", "next"]));

/** Makes `next` current and creates a fresh `next`; the old current, if any, becomes previous. */
async function promote(tx: Tx, ctx: KeyRowsContext, previousState: "previous" | "retired"): Promise<void> {
  const now = ctx.now();
  const rows = await live(tx);
  const current = rows.find((row) => row.state === "current");
  const next = rows.find((row) => row.state === "next");
  if (current) {
    await tx
      .update(signingKeys)
      .set({ state: previousState, deactivatedAt: now, ...(previousState === "retired" && { retiredAt: now }) })
      .where(eq(signingKeys.kid, current.kid));
  }
  if (next) await tx.update(signingKeys).set({ state: "current", activatedAt: now }).where(eq(signingKeys.kid, next.kid));
  else await insertKey(tx, ctx, "current");
  await insertKey(tx, ctx, "next");
}

/**
 * Gives the set a `current` key and a `next` of the configured algorithm. Several instances
 * starting at once: the lock lets one create them and the others find them (the partial unique
 * indexes would refuse a second current anyway).
 */
export async function ensureKeys(ctx: KeyRowsContext): Promise<void> {
  const ready = (rows: KeyRow[]) =>
    rows.some((row) => row.state === "current") && rows.some((row) => row.state === "next" && row.alg === ctx.algorithm);
  if (ready(await live(ctx.db))) return;
  await locked(ctx, async (tx) => {
    const rows = await live(tx);
    if (ready(rows)) return;
    if (!rows.some((row) => row.state === "current")) await insertKey(tx, ctx, "current");
    const next = rows.find((row) => row.state === "next");
    // A `next` of another algorithm never signed: the configured algorithm replaces it, and
    // takes over at the next rotation.
    if (next) await tx.update(signingKeys).set({ state: "retired", retiredAt: ctx.now() }).where(eq(signingKeys.kid, next.kid));
    await insertKey(tx, ctx, "next");
  });
}

/** next → current, current → previous, a fresh next; previous keys past their window are retired. */
export async function rotateKeys(ctx: KeyRowsContext): Promise<void> {
  await locked(ctx, async (tx) => {
    await promote(tx, ctx, "previous");
    const cutoff = new Date(ctx.now().getTime() - ctx.verifyWindow * 1000);
    await tx
      .update(signingKeys)
      .set({ state: "retired", retiredAt: ctx.now() })
      .where(and(eq(signingKeys.state, "previous"), lt(signingKeys.deactivatedAt, cutoff)));
  });
}

/**
 * Retires a key at once. Retiring the current key promotes `next` so signing never stops;
 * retiring `next` creates another. Throws `NOT_FOUND` for an unknown kid.
 */
export async function retireKey(ctx: KeyRowsContext, kid: string): Promise<void> {
  await locked(ctx, async (tx) => {
    const [row] = await tx.select().from(signingKeys).where(eq(signingKeys.kid, kid));
    if (!row) throw new AuthError("NOT_FOUND", `No signing key has kid ${kid}.`);
    if (row.state === "retired") return;
    if (row.state === "current") return promote(tx, ctx, "retired");
    await tx.update(signingKeys).set({ state: "retired", retiredAt: ctx.now() }).where(eq(signingKeys.kid, kid));
    if (row.state === "next") await insertKey(tx, ctx, "next");
  });
}

/** Every key, retired ones included, oldest first. */
export function allKeys(db: AuthDB): Promise<KeyRow[]> {
  return db.select().from(signingKeys).orderBy(signingKeys.createdAt, signingKeys.kid);
}

/** The published keys: next, current and previous (the caller drops previous keys past their window). */
export function publishedKeys(db: AuthDB): Promise<KeyRow[]> {
  return db.select().from(signingKeys).where(inArray(signingKeys.state, ["next", "current", "previous"]));
}
