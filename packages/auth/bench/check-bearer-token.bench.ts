// pnpm bench: what a token check costs, measured in one run so the ratios are comparable.
// Figures are per call, sequential, on whatever else the machine is doing: read the ratios.
import { createSecretKey, generateKeyPairSync } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { jwtVerify } from "jose";
import { createAccessTokens } from "../src/tokens/access-token.ts";
import { createAuth } from "../src/create-auth.ts";
import { createKeySet } from "../src/keys/key-set.ts";
import { createDatabase, type Database } from "../src/database/database.ts";
import { migrate } from "../src/database/migrate.ts";
import { resolveOptions } from "../src/config/options.ts";
import { sessions, users } from "../src/database/schema.ts";
import { createSessionStore } from "../src/sessions/session-store.ts";
import { createTestDatabase, TEST_SECRET } from "../src/testing/index.ts";

// pnpm bench [iterations] [postgres-url]
const ITERATIONS = Number(process.argv[2] ?? 3000);

async function measure(label: string, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(300, ITERATIONS / 10); i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  const micros = Number(process.hrtime.bigint() - start) / 1000 / ITERATIONS;
  console.log(`${label.padEnd(58)} ${micros.toFixed(1).padStart(8)} µs/op`);
  return micros;
}

async function benchBackend(name: string, database: Database): Promise<void> {
  const auth = createAuth({ db: database.db, secret: TEST_SECRET });
  const hmacAuth = createAuth({ db: database.db, secret: TEST_SECRET, algorithm: "HS256" });
  const { accessToken, session } = await auth.register({
    email: `bench-${Date.now()}@example.com`,
    password: "correct horse battery",
    name: "Bench",
  });
  const unprepared = () =>
    database.db
      .select({ session: sessions, user: { id: users.id, email: users.email, name: users.name, createdAt: users.createdAt } })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sql`${session.id}`))
      .limit(1);
  const store = createSessionStore(resolveOptions({ db: database.db, secret: TEST_SECRET }));
  console.log(`\n[${name}]`);
  const full = await measure("checkBearerToken, ES256 (verify + prepared session lookup)", () => auth.checkBearerToken(accessToken));
  const { accessToken: hmacToken } = await hmacAuth.signin({ email: (await auth.checkBearerToken(accessToken))?.email ?? "", password: "correct horse battery" });
  await measure("checkBearerToken, HS256 (verify + prepared session lookup)", () => hmacAuth.checkBearerToken(hmacToken));
  const prepared = await measure("session lookup alone, prepared statement", () => store.findWithUser(session.id));
  const bare = await measure("session lookup alone, unprepared drizzle query", unprepared);
  console.log(`  the prepared lookup is ${(bare / prepared).toFixed(2)}x faster than the unprepared one`);
  console.log(`  the database lookup is ${((prepared / full) * 100).toFixed(0)}% of a full check`);
}

const config = resolveOptions({ db: {} as never, secret: TEST_SECRET, algorithm: "HS256" });
const tokens = createAccessTokens(config, createKeySet(config));
const { token } = await tokens.sign({ id: crypto.randomUUID(), userId: crypto.randomUUID() });
const rawKey = new TextEncoder().encode(TEST_SECRET);
console.log(`checkBearerToken benchmark, ${ITERATIONS} sequential calls per line\n\n[no database]`);
const imported = await measure("verify only, key imported once (CryptoKey)", () => tokens.verify(token));
const raw = await measure("verify only, raw Uint8Array key (jose re-imports per call)", () =>
  jwtVerify(token, rawKey, { algorithms: ["HS256"] }),
);
const nodeKey = createSecretKey(rawKey);
const keyObject = await measure("verify only, Node KeyObject key", () => jwtVerify(token, nodeKey, { algorithms: ["HS256"] }));
console.log(`  importing the key once is ${(raw / imported).toFixed(2)}x faster than raw bytes, ${(keyObject / imported).toFixed(2)}x than a KeyObject`);

// The asymmetric algorithms, through the same code path as the server (key found by kid, alg
// pinned), with an external key so no database is involved. The machine is shared, so the
// algorithms run in interleaved rounds and each reports its median round: the ratio holds even
// when the load changes during the run.
const PRIVATE_KEYS = {
  ES256: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey,
  EdDSA: generateKeyPairSync("ed25519").privateKey,
  RS256: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
} as const;
const verifiers: [string, () => Promise<unknown>][] = [["HS256", () => tokens.verify(token)]];
for (const [algorithm, key] of Object.entries(PRIVATE_KEYS) as [keyof typeof PRIVATE_KEYS, (typeof PRIVATE_KEYS)[keyof typeof PRIVATE_KEYS]][]) {
  const privateKey = key.export({ format: "pem", type: "pkcs8" }).toString();
  const asymmetric = resolveOptions({ db: {} as never, secret: TEST_SECRET, algorithm, privateKey });
  const signer = createAccessTokens(asymmetric, createKeySet(asymmetric));
  const { token: signed } = await signer.sign({ id: crypto.randomUUID(), userId: crypto.randomUUID() });
  verifiers.push([algorithm, () => signer.verify(signed)]);
}
const ROUNDS = 7;
const rounds = new Map<string, number[]>(verifiers.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, verify] of verifiers) {
    const calls = Math.max(50, Math.floor(ITERATIONS / ROUNDS));
    for (let i = 0; i < 20; i++) await verify();
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await verify();
    rounds.get(name)?.push(Number(process.hrtime.bigint() - start) / 1000 / calls);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const verifyCost = Object.fromEntries([...rounds].map(([name, values]) => [name, median(values)]));
for (const [name, micros] of Object.entries(verifyCost)) {
  console.log(`${`verify only, ${name}, as the server does (median of ${ROUNDS} rounds)`.padEnd(58)} ${micros.toFixed(1).padStart(8)} µs/op`);
}
const es256 = verifyCost.ES256 ?? 0;
const hs256 = verifyCost.HS256 ?? 1;
console.log(`  ES256 verify costs ${(es256 / hs256).toFixed(1)}x HS256 (${es256.toFixed(1)} vs ${hs256.toFixed(1)} µs per token)`);

const pglite = await createTestDatabase();
await benchBackend("embedded PGlite", pglite);
await pglite.close();

const url = process.argv[3] ?? "postgres://postgres@127.0.0.1:5432/test";
try {
  const postgres = await createDatabase({ url });
  await migrate(postgres.db);
  await benchBackend(`PostgreSQL ${new URL(url).host}`, postgres);
  await postgres.close();
} catch (error) {
  console.log(`\n[PostgreSQL] skipped: ${(error as Error).message}`);
}
