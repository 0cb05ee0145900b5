/**
 * Checks proof signatures off the event loop. A DPoP proof's signature is the one expensive step
 * of a DPoP call (an ES256 verify is ~80 µs of CPU, more than the rest of the call's auth work),
 * and on the request's thread it caps a Node process at what one core can verify. Here the
 * checks of one event-loop turn go to a worker thread in one message and come back in one, so
 * the event loop pays a message per batch, not a verify per request. (WebCrypto also runs
 * verifies on a thread pool, but pays its handoff per call, which costs about as much as the
 * verify it moves.)
 *
 * Correctness never depends on the worker: if it cannot start or dies, the waiting checks and
 * every later one run on the calling thread. On a single-core machine it is not started at all.
 */
import { availableParallelism } from "node:os";
import { type KeyObject, verify } from "node:crypto";
import { Worker } from "node:worker_threads";

/** One check: the key, how to verify, the signed bytes and the signature. */
export interface SignatureCheck {
  /** A number for `key`, unique for the process's life, so the worker imports each key once. */
  keyId: number;
  key: KeyObject;
  /** `null` for EdDSA. */
  digest: string | null;
  /** node:crypto's options besides the key (`dsaEncoding`, `padding`, `saltLength`). */
  options: object;
  signingInput: string;
  signature: Buffer;
}

export interface SignatureVerifier {
  verify(check: SignatureCheck): Promise<boolean>;
  /** Where checks run now: `"worker"`, or `"here"` (no threads, or the worker failed). */
  readonly runsOn: "worker" | "here";
  /** Stops the worker; later checks run on the calling thread. */
  close(): Promise<void>;
}

/** The worker: imports each key once (at most 10,000, the oldest going first), verifies batches. */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createPublicKey, verify } = require("node:crypto");
const keys = new Map();
parentPort.on("message", ({ batch, checks }) => {
  const results = checks.map(({ keyId, spki, digest, options, signingInput, signature }) => {
    try {
      let key = keys.get(keyId);
      if (key === undefined) {
        key = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
        keys.set(keyId, key);
        if (keys.size > 10000) keys.delete(keys.keys().next().value);
      }
      return verify(digest, Buffer.from(signingInput, "ascii"), { key, ...options }, Buffer.from(signature));
    } catch {
      return false;
    }
  });
  parentPort.postMessage({ batch, results });
});
`;

/** The same check on the calling thread. */
export function verifyHere(check: SignatureCheck): boolean {
  try {
    return verify(check.digest, Buffer.from(check.signingInput, "ascii"), { key: check.key, ...check.options }, check.signature);
  } catch {
    return false;
  }
}

type Pending = { check: SignatureCheck; settle: (valid: boolean) => void };

/**
 * @example
 * const verifier = createSignatureVerifier();
 * const valid = await verifier.verify({ keyId, key, digest: "sha256", options: { dsaEncoding: "ieee-p1363" }, signingInput, signature });
 */
export function createSignatureVerifier({ threads = availableParallelism() > 1 }: { threads?: boolean } = {}): SignatureVerifier {
  let worker: Worker | null = null;
  let usable = threads;
  let queue: Pending[] = [];
  let scheduled = false;
  let nextBatch = 0;
  const inFlight = new Map<number, Pending[]>();
  const spkis = new WeakMap<KeyObject, Buffer>();

  /** The worker failed: what it held is checked here, and so is everything after. */
  function fallBack(): void {
    usable = false;
    const stranded = [...inFlight.values()].flat();
    inFlight.clear();
    worker?.removeAllListeners();
    void worker?.terminate();
    worker = null;
    for (const { check, settle } of stranded) settle(verifyHere(check));
  }

  function start(): Worker | null {
    if (worker || !usable) return worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true });
    } catch {
      usable = false;
      return null;
    }
    // It never keeps the process alive on its own.
    worker.unref();
    worker.on("message", ({ batch, results }: { batch: number; results: boolean[] }) => {
      const pending = inFlight.get(batch);
      inFlight.delete(batch);
      pending?.forEach(({ settle }, index) => settle(results[index] === true));
    });
    worker.on("error", fallBack);
    worker.on("exit", fallBack);
    return worker;
  }

  function spkiOf(key: KeyObject): Buffer {
    let spki = spkis.get(key);
    if (!spki) {
      spki = key.export({ format: "der", type: "spki" });
      spkis.set(key, spki);
    }
    return spki;
  }

  function flush(): void {
    scheduled = false;
    const pending = queue;
    queue = [];
    const target = start();
    if (!target) {
      for (const { check, settle } of pending) settle(verifyHere(check));
      return;
    }
    const batch = nextBatch++;
    inFlight.set(batch, pending);
    target.postMessage({
      batch,
      checks: pending.map(({ check }) => ({
        keyId: check.keyId,
        spki: spkiOf(check.key),
        digest: check.digest,
        options: check.options,
        signingInput: check.signingInput,
        signature: check.signature,
      })),
    });
  }

  return {
    verify(check) {
      if (!usable) return Promise.resolve(verifyHere(check));
      return new Promise((settle) => {
        queue.push({ check, settle });
        if (scheduled) return;
        scheduled = true;
        // The checks of requests read in the same turn go in one message.
        setImmediate(flush);
      });
    },
    get runsOn() {
      return usable ? "worker" : "here";
    },
    async close() {
      const running = worker;
      fallBack();
      await running?.terminate();
    },
  };
}
