import { constants, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSignatureVerifier, type SignatureCheck } from "./signature-worker.ts";

const INPUT = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJ4In0";
let keyIds = 1000;

function signedCheck(kind: "ES256" | "EdDSA" | "PS256", input = INPUT): SignatureCheck & { privateKey: KeyObject } {
  if (kind === "ES256") {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const options = { dsaEncoding: "ieee-p1363" as const };
    return { keyId: ++keyIds, key: publicKey, digest: "sha256", options, signingInput: input, signature: sign("sha256", Buffer.from(input), { key: privateKey, ...options }), privateKey };
  }
  if (kind === "EdDSA") {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    return { keyId: ++keyIds, key: publicKey, digest: null, options: {}, signingInput: input, signature: sign(null, Buffer.from(input), privateKey), privateKey };
  }
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const options = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  return { keyId: ++keyIds, key: publicKey, digest: "sha256", options, signingInput: input, signature: sign("sha256", Buffer.from(input), { key: privateKey, ...options }), privateKey };
}

describe("createSignatureVerifier", () => {
  it("checks signatures on a worker thread, a turn's checks together, and tells good from forged", async () => {
    const verifier = createSignatureVerifier({ threads: true });
    try {
      const es256 = signedCheck("ES256");
      const checks = [es256, signedCheck("EdDSA"), signedCheck("PS256")];
      const forged = checks.map((check) => ({ ...check, signingInput: `${check.signingInput}x` }));
      // Another key's signature over the same bytes: refused, even with the first key cached.
      const swapped = { ...es256, signature: signedCheck("ES256").signature };
      const results = await Promise.all([...checks, ...forged, swapped].map((check) => verifier.verify(check)));
      expect(results).toEqual([true, true, true, false, false, false, false]);
      expect(verifier.runsOn).toBe("worker");
      // The same key again (imported once in the worker), with a new signature.
      const again = signedCheck("ES256");
      expect(await verifier.verify(again)).toBe(true);
    } finally {
      await verifier.close();
    }
  });

  it("fails closed on garbage: a truncated signature, an empty one, a key of another kind", async () => {
    const verifier = createSignatureVerifier({ threads: true });
    try {
      const good = signedCheck("ES256");
      const other = createPublicKey(signedCheck("EdDSA").privateKey);
      const results = await Promise.all([
        verifier.verify({ ...good, signature: good.signature.subarray(0, 10) }),
        verifier.verify({ ...good, signature: Buffer.alloc(0) }),
        verifier.verify({ ...good, keyId: ++keyIds, key: other }),
      ]);
      expect(results).toEqual([false, false, false]);
    } finally {
      await verifier.close();
    }
  });

  it("without threads, or once closed, checks on the calling thread with the same answers", async () => {
    const here = createSignatureVerifier({ threads: false });
    expect(here.runsOn).toBe("here");
    const good = signedCheck("EdDSA");
    expect(await here.verify(good)).toBe(true);
    expect(await here.verify({ ...good, signingInput: "tampered" })).toBe(false);

    const closing = createSignatureVerifier({ threads: true });
    const pending = closing.verify(signedCheck("ES256"));
    await closing.close();
    // A check waiting when the worker went is answered here, not dropped.
    expect(await pending).toBe(true);
    expect(closing.runsOn).toBe("here");
    expect(await closing.verify({ ...signedCheck("PS256"), signature: Buffer.from("no") })).toBe(false);
  });
});
