import { createDPoPKeyPair, type DPoPKeyPair } from "@bearer-kit/auth/client";
import type { DPoPKeyStore } from "./dpop-key-store.ts";

const STORE = "keys";
const KEY = "dpop";

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error("IndexedDB request failed"));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error("IndexedDB transaction failed"));
    transaction.onabort = () => reject(transaction.error ?? new Error("IndexedDB transaction aborted"));
  });
}

function open(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return settled(request);
}

function isKeyPair(value: unknown): value is DPoPKeyPair {
  return typeof value === "object" && value !== null && "privateKey" in value && "publicKey" in value;
}

async function read(database: IDBDatabase): Promise<DPoPKeyPair | null> {
  const stored: unknown = await settled(database.transaction(STORE, "readonly").objectStore(STORE).get(KEY));
  return isKeyPair(stored) ? stored : null;
}

/**
 * The DPoP key in this origin's IndexedDB database `name`. The `CryptoKeyPair` itself is stored
 * (structured clone), not its bytes: the private key stays non-extractable, so a script can
 * sign with it while the page is open but can never copy it out. Tabs race to make the first
 * key; `add` lets only one win and the others take it.
 *
 * @example const keyPair = await createIndexedDBKeyStore("bk-dpop").get();
 */
export function createIndexedDBKeyStore(name: string): DPoPKeyStore {
  const withDatabase = async <T>(task: (database: IDBDatabase) => Promise<T>): Promise<T> => {
    const database = await open(name);
    try {
      return await task(database);
    } finally {
      database.close();
    }
  };
  return {
    get: () =>
      withDatabase(async (database) => {
        const existing = await read(database);
        if (existing) return existing;
        // Made outside the transaction: one awaiting anything but IndexedDB commits early.
        const keyPair = await createDPoPKeyPair();
        const transaction = database.transaction(STORE, "readwrite");
        transaction.objectStore(STORE).add(keyPair, KEY);
        try {
          await committed(transaction);
          return keyPair;
        } catch (error) {
          // Another tab stored its key first (ConstraintError): every tab must sign with one key.
          const winner = await read(database);
          if (winner) return winner;
          throw error;
        }
      }),
    delete: () =>
      withDatabase(async (database) => {
        const transaction = database.transaction(STORE, "readwrite");
        transaction.objectStore(STORE).delete(KEY);
        await committed(transaction);
      }),
  };
}
