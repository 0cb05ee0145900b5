// What one bearer-token check costs, per call and sequentially on one thread, against the floor
// of a raw node:crypto HMAC-SHA256 check. Part of `pnpm bench` (bench/ at the repository root),
// which reads the ratios: absolute figures on a shared machine swing about 2x.
import { createHmac, timingSafeEqual } from "node:crypto";
import { jwtVerify } from "jose";
import { createAccessTokens } from "../src/tokens/access-token.ts";
import { type Auth, createAuth } from "../src/create-auth.ts";
import { createDatabase } from "../src/database/database.ts";
import { createKeySet } from "../src/keys/key-set.ts";
import { migrate } from "../src/database/migrate.ts";
import type { Algorithm } from "../src/config/algorithms.ts";
import { resolveOptions } from "../src/config/options.ts";

export interface VerifyCost {
  label: string;
  /** Microseconds per call: the median of the interleaved rounds. */
  micros: number;
}

export interface TokenVerifyCosts {
  hmacFloor: VerifyCost;
  jose: VerifyCost;
  /** `checkBearerToken`, a new token every call (full verify), then the same token again and again. */
  ours: Record<"HS256" | "ES256", { cold: VerifyCost; warm: VerifyCost }>;
}

export interface TokenVerifyOptions {
  /** PostgreSQL, already created; migrated here. `checkBearerToken` reads sessions from it. */
  databaseUrl: string;
  rounds: number;
  roundSeconds: number;
  /** New tokens signed ahead per algorithm for the cold calls; a round stops early if they run out. Default 6000. */
  coldTokens?: number;
}

const SECRET = "bench-secret-that-is-long-enough-for-hs384-keys!";

/** The floor: split, HMAC-SHA256, constant-time compare, parse the claims. Nothing else. */
function rawHMACCheck(key: Buffer): (token: string) => unknown {
  return (token) => {
    const [header = "", payload = "", signature = ""] = token.split(".");
    const expected = createHmac("sha256", key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
    return JSON.parse(Buffer.from(payload, "base64url").toString()) as unknown;
  };
}

type Call = () => unknown;

/** Builds with the session cache give `Auth` a `close()`; older ones have nothing to close. */
function closeAuth(auth: Auth): Promise<void> {
  return "close" in auth && typeof auth.close === "function" ? Promise.resolve(auth.close()) : Promise.resolve();
}

/** Calls `next()` back to back for `seconds` (or until it returns null); microseconds per call. */
async function timeRound(next: () => Call | null, seconds: number): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let calls = 0;
  for (let call = next(); call !== null; call = next()) {
    await call();
    calls++;
    if ((calls & 15) === 0 && performance.now() >= deadline) break;
  }
  return ((performance.now() - start) * 1000) / Math.max(1, calls);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Measures every variant in interleaved rounds, so a change in the machine's load during the run
 * hits all of them; each figure is its median round.
 */
export async function measureTokenVerify(options: TokenVerifyOptions): Promise<TokenVerifyCosts> {
  const database = await createDatabase({ url: options.databaseUrl });
  try {
    await migrate(database.db);
    const variants: { label: string; prepare?: () => Promise<void>; next: () => Call | null }[] = [];
    const instances: Auth[] = [];
    const key = Buffer.from(SECRET);
    const hsConfig = resolveOptions({ db: database.db, secret: SECRET, algorithm: "HS256" });
    const hsTokens = createAccessTokens(hsConfig, createKeySet(hsConfig));
    const { token: plainToken } = await hsTokens.sign({ id: crypto.randomUUID(), userId: crypto.randomUUID() });
    const floor = rawHMACCheck(key);
    variants.push({ label: "raw node:crypto HMAC-SHA256 check (floor)", next: () => () => floor(plainToken) });
    const cryptoKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    variants.push({ label: "jose jwtVerify, HS256, imported key", next: () => () => jwtVerify(plainToken, cryptoKey, { algorithms: ["HS256"] }) });

    for (const algorithm of ["HS256", "ES256"] satisfies Algorithm[]) {
      const auth = createAuth({ db: database.db, secret: SECRET, algorithm });
      instances.push(auth);
      const { session, accessToken } = await auth.register({ email: `verify-${algorithm}-${Date.now()}@example.com`, password: "bench passphrase, long enough", name: "Bench" });
      // The same signer as `auth`'s (the key set lives in the database): tokens differ by jti.
      const config = resolveOptions({ db: database.db, secret: SECRET, algorithm });
      const signer = createAccessTokens(config, createKeySet(config));
      const cold: string[] = [];
      variants.push({
        label: `checkBearerToken, ${algorithm}, cold (a new token each call)`,
        // Signed afresh before each round, untimed: a round that found the pool empty would time nothing.
        async prepare() {
          cold.length = 0;
          for (let i = 0; i < (options.coldTokens ?? 6000); i++) cold.push((await signer.sign(session)).token);
        },
        next: () => {
          const token = cold.pop();
          return token === undefined ? null : () => auth.checkBearerToken(token);
        },
      });
      variants.push({ label: `checkBearerToken, ${algorithm}, warm (the same token)`, next: () => () => auth.checkBearerToken(accessToken) });
    }

    for (const variant of variants.filter((v) => !v.label.includes("cold"))) await timeRound(variant.next, Math.min(0.2, options.roundSeconds));
    const samples = variants.map((): number[] => []);
    for (let round = 0; round < options.rounds; round++) {
      for (const [index, variant] of variants.entries()) {
        await variant.prepare?.();
        samples[index]?.push(await timeRound(variant.next, options.roundSeconds));
      }
    }
    const cost = (index: number): VerifyCost => ({ label: variants[index]?.label ?? "", micros: median(samples[index] ?? []) });
    // Before the database: with the session cache, each instance listens on a connection of its own.
    await Promise.all(instances.map(closeAuth));
    return {
      hmacFloor: cost(0),
      jose: cost(1),
      ours: { HS256: { cold: cost(2), warm: cost(3) }, ES256: { cold: cost(4), warm: cost(5) } },
    };
  } finally {
    await database.close();
  }
}
