import { createDPoPKeyPair, type DPoPKeyPair } from "@bearer-kit/auth/client";
import type { DPoPKeyStore } from "./dpop-key-store.ts";

// By name, so session clients of one process that share a name (as tabs share an origin) share a key.
const keys = new Map<string, Promise<DPoPKeyPair>>();

/**
 * A DPoP key held in this process's memory, for runtimes without IndexedDB (Node, scripts): it
 * ends with the process, and so do the tokens bound to it.
 *
 * @example const keyPair = await createMemoryKeyStore("bk").get();
 */
export function createMemoryKeyStore(name: string): DPoPKeyStore {
  return {
    get() {
      let keyPair = keys.get(name);
      if (!keyPair) {
        keyPair = createDPoPKeyPair();
        keys.set(name, keyPair);
      }
      return keyPair;
    },
    async delete() {
      keys.delete(name);
    },
  };
}
