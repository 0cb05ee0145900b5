import type { DPoPKeyPair } from "@bearer-kit/auth/client";
import { createIndexedDBKeyStore } from "./indexeddb-key-store.ts";
import { createMemoryKeyStore } from "./memory-key-store.ts";

/**
 * Where the session keeps its DPoP key: one key per origin (and session name), shared by every
 * tab, so a token bound in one tab works in all of them and after a reload.
 */
export interface DPoPKeyStore {
  /** The key, made (non-extractable) and stored on first use. */
  get(): Promise<DPoPKeyPair>;
  /** Forgets the key, as sign-out does: tokens bound to it can then never be used again here. */
  delete(): Promise<void>;
}

/**
 * IndexedDB where there is one (browsers): the key survives reloads, and a non-extractable key
 * stored there stays unreadable to scripts. Elsewhere (Node, a CLI) the key lives in this process.
 *
 * @example const keys = defaultDPoPKeyStore("bk"); const keyPair = await keys.get();
 */
export function defaultDPoPKeyStore(name: string): DPoPKeyStore {
  return typeof indexedDB === "undefined" ? createMemoryKeyStore(name) : createIndexedDBKeyStore(name);
}
