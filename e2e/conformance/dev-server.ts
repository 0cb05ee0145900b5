/**
 * A throwaway API server for running the conformance suite without the Next.js app: the real
 * `createFetchHandler` over `node:http`, on an in-memory PGlite database that dies with it.
 *
 * @example
 * // terminal 1
 * tsx --conditions=@bearer-kit/source conformance/dev-server.ts --port 3199 --secret "$(openssl rand -base64 48)"
 * // terminal 2
 * pnpm conformance --url http://localhost:3199 --secret <the same secret>   # or without it: the key-free cases
 */
import { parseArgs } from "node:util";
import { createAuth, createDatabase, createJwksHandler, migrate } from "@bearer-kit/auth";
import { createFetchHandler, type FetchHandler } from "@bearer-kit/api";
import { serveFetch } from "./server/node-bridge.ts";

const USAGE = `usage: tsx --conditions=@bearer-kit/source conformance/dev-server.ts --secret <AUTH_SECRET> [--port 3199] [--host 127.0.0.1]
  [--algorithm HS256|HS384|HS512] [--issuer bearer-kit] [--audience bearer-kit] [--leeway 60]
  [--max-failures 5] [--trusted-proxies 0] [--dev-errors]`;

const { values } = parseArgs({
  options: {
    secret: { type: "string" },
    port: { type: "string", default: "3199" },
    host: { type: "string", default: "127.0.0.1" },
    algorithm: { type: "string", default: "HS256" },
    issuer: { type: "string", default: "bearer-kit" },
    audience: { type: "string", default: "bearer-kit" },
    leeway: { type: "string", default: "60" },
    "max-failures": { type: "string", default: "5" },
    "trusted-proxies": { type: "string", default: "0" },
    // Development errors carry stacks, which the leaks group reports; off unless asked for.
    "dev-errors": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

function integer(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    console.error(`dev-server: --${name} must be a non-negative integer (got "${value}")\n${USAGE}`);
    process.exit(2);
  }
  return parsed;
}

if (values.help || values.secret === undefined) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const algorithm = values.algorithm;
if (algorithm !== "HS256" && algorithm !== "HS384" && algorithm !== "HS512") {
  console.error(`dev-server: --algorithm must be HS256, HS384 or HS512 (got "${algorithm}")`);
  process.exit(2);
}

const port = integer("port", values.port);
// Passkeys' RP ID and origin come from appUrl, and WebAuthn refuses an IP address: run the suite
// with `--url http://localhost:<port>` for the passkey cases to sign for the origin this expects.
const appUrl = `http://localhost:${port}`;
const database = await createDatabase();
await migrate(database.db);
const auth = createAuth({
  db: database.db,
  appUrl,
  secret: values.secret,
  algorithm,
  issuer: values.issuer,
  audience: values.audience,
  leeway: integer("leeway", values.leeway),
  // The suite registers its throwaway accounts from one address.
  throttle: { maxFailures: integer("max-failures", values["max-failures"]), registerMaxPerIp: 100_000 },
});
const api = createFetchHandler({
  auth,
  endpoint: "/api/trpc",
  trustedProxies: integer("trusted-proxies", values["trusted-proxies"]),
  exposeInternals: values["dev-errors"],
  onError: ({ error, path }) => {
    // Expected failures (401, 429, ...) are the suite's business; only the unexpected are shown.
    if (error.code === "INTERNAL_SERVER_ERROR") console.error(`dev-server: ${path ?? "?"}:`, error.cause ?? error);
  },
});
// The JWKS as the app serves it (empty under HS*): the suite reads it to learn how tokens are signed.
const jwks = createJwksHandler(auth);
const handler: FetchHandler = (req, peer) => (new URL(req.url).pathname === "/.well-known/jwks.json" ? jwks(req) : api(req, peer));
const server = await serveFetch(handler, { host: values.host, port });
console.log(`conformance dev server listening on ${server.origin} (in-memory PGlite, ${algorithm}; passkeys for ${appUrl})`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void server
      .close()
      .then(() => database.close())
      .finally(() => process.exit(0));
  });
}
