// What a stateless verification costs in another service: @bearer-kit/auth/verify per
// algorithm, against the core's own HS256 verify. The machine is shared, so the variants are
// interleaved over several rounds and each line is the median round: read the ratios.
// tsx bench/verifier.bench.ts [calls per round] [rounds]
import { createAccessTokens } from "../src/tokens/access-token.ts";
import { createKeySet } from "../src/keys/key-set.ts";
import { resolveOptions } from "../src/config/options.ts";
import { startJWKSServer } from "../src/testing/jwks-server.ts";
import { TEST_SECRET } from "../src/testing/index.ts";
import { createTestSigningKey, signTestAccessToken, type TestKeyAlgorithm } from "../src/testing/test-signing-key.ts";
import { createVerifier } from "../src/verify/index.ts";

const CALLS = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 7);

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const variants: { label: string; run: () => Promise<unknown> }[] = [];
const config = resolveOptions({ db: {} as never, secret: TEST_SECRET, algorithm: "HS256" });
const tokens = createAccessTokens(config, createKeySet(config));
const { token: hsToken } = await tokens.sign({ id: crypto.randomUUID(), userId: crypto.randomUUID() });
variants.push({ label: "HS256, core verify (shared secret)", run: () => tokens.verify(hsToken) });

const server = await startJWKSServer();
for (const alg of ["ES256", "EdDSA", "RS256"] satisfies TestKeyAlgorithm[]) {
  const key = await createTestSigningKey(alg);
  server.keys = [...server.keys, key.publicJwk];
  const token = await signTestAccessToken(key);
  const verifier = createVerifier({ jwksUrl: server.url, issuer: "bearer-kit", audience: "bearer-kit" });
  variants.push({ label: `${alg}, createVerifier (remote JWKS, cached)`, run: () => verifier.verify(token) });
}

console.log(`verify benchmark: ${ROUNDS} interleaved rounds of ${CALLS} sequential calls, median round\n`);
for (const variant of variants) await time(variant.run); // warm-up, and the one JWKS fetch each
const samples = variants.map((): number[] => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [index, variant] of variants.entries()) samples[index]?.push(await time(variant.run));
}
const hs = median(samples[0] ?? []);
for (const [index, variant] of variants.entries()) {
  const micros = median(samples[index] ?? []);
  console.log(`${variant.label.padEnd(50)} ${micros.toFixed(1).padStart(8)} µs/op  ${(micros / hs).toFixed(2)}x HS256`);
}
console.log(`JWKS requests over the whole run: ${server.requests} (one per verifier)`);
await server.close();
