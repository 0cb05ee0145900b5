import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { AuthDB } from "../database/auth-db.ts";
import { resolveOptions } from "./options.ts";

const db = {} as AuthDB;
const ED25519_PEM = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();

describe("resolveOptions", () => {
  it("defaults to ES256, a 1 hour ttl, a 60 s leeway and a 10 s key reload", () => {
    expect(resolveOptions({ db, secret: "k".repeat(32) })).toMatchObject({
      algorithm: "ES256",
      ttl: 3600,
      leeway: 60,
      keyReloadInterval: 10,
    });
  });

  it.each([
    [{ secret: "" }, "`secret` must be at least 32 bytes"],
    [{ secret: "k".repeat(31) }, "`secret` must be at least 32 bytes"],
    [{ secret: "k".repeat(32), algorithm: "HS512" as const }, "at least 64 bytes for HS512"],
    [{ secret: "k".repeat(32), algorithm: "none" as never }, "`algorithm` must be one of"],
    [{ secret: "k".repeat(32), leeway: "6m" }, "`leeway` must be at most 5 minutes"],
    [{ secret: "k".repeat(32), ttl: "1w" }, "`ttl` must be seconds"],
    [{ secret: "k".repeat(32), keyReloadInterval: "1m" }, "`keyReloadInterval` must be at most 30 seconds"],
    [{ secret: "k".repeat(32), privateKey: "not a key" }, "`privateKey` must be a private key as PKCS#8 PEM or a JWK"],
    [{ secret: "k".repeat(32), algorithm: "HS256" as const, privateKey: ED25519_PEM }, "`privateKey` cannot be used with HS256"],
    [{ secret: "k".repeat(32), algorithm: "ES256" as const, privateKey: ED25519_PEM }, "must be a P-256 EC key for ES256"],
  ])("refuses %j", (options, message) => {
    expect(() => resolveOptions({ db, ...options })).toThrow(message);
  });
});
