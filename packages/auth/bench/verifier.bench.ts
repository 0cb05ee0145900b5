// What a stateless verification costs in another service: @bearer-kit/auth/verify per
// algorithm, against the core's own HS256 verify, in one run so the ratios are comparable.
// tsx bench/verifier.bench.ts [iterations]
import { createAccessTokens } from "../src/access-token.ts";
import { resolveOptions } from "../src/options.ts";
import { startJWKSServer } from "../src/testing/jwks-server.ts";
import { TEST_SECRET } from "../src/testing/index.ts";
import { createTestSigningKey, signTestAccessToken, type TestKeyAlgorithm } from "../src/testing/test-signing-key.ts";
import { createVerifier } from "../src/verify/index.ts";

const ITERATIONS = Number(process.argv[2] ?? 3000);

async function measure(label: string, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(300, ITERATIONS / 10); i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  const micros = Number(process.hrtime.bigint() - start) / 1000 / ITERATIONS;
  console.log(`${label.padEnd(58)} ${micros.toFixed(1).padStart(8)} µs/op`);
  return micros;
}

console.log(`verify benchmark, ${ITERATIONS} sequential calls per line\n`);
const tokens = createAccessTokens(resolveOptions({ db: {} as never, secret: TEST_SECRET }));
const { token: hsToken } = await tokens.sign({ id: crypto.randomUUID(), userId: crypto.randomUUID() });
const hs = await measure("HS256, core verify (shared secret)", () => tokens.verify(hsToken));

const server = await startJWKSServer();
for (const alg of ["ES256", "EdDSA", "RS256"] satisfies TestKeyAlgorithm[]) {
  const key = await createTestSigningKey(alg);
  server.keys = [...server.keys, key.publicJwk];
  const token = await signTestAccessToken(key);
  const verifier = createVerifier({ jwksUrl: server.url, issuer: "bearer-kit", audience: "bearer-kit" });
  const micros = await measure(`${alg}, createVerifier (remote JWKS, cached)`, () => verifier.verify(token));
  console.log(`  ${(micros / hs).toFixed(2)}x the HS256 cost`);
}
console.log(`  JWKS requests over the whole run: ${server.requests} (one per verifier)`);
await server.close();
