import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadAuthEnv } from "./env.ts";

const SECRET = "s".repeat(32);
const P256_PEM = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();

describe("loadAuthEnv", () => {
  it("applies the documented defaults", () => {
    expect(loadAuthEnv({})).toMatchObject({
      AUTH_TOKEN_ALGORITHM: "ES256",
      AUTH_KEY_RELOAD_INTERVAL: 10,
      AUTH_TOKEN_TTL: 3600,
      AUTH_TOKEN_LEEWAY: 60,
      AUTH_REFRESH_REUSE_INTERVAL: 10,
      AUTH_SIGNIN_MAX_FAILURES: 5,
      AUTH_SIGNIN_WINDOW: 900,
      AUTH_SIGNIN_MAX_PER_IP: 100,
      AUTH_IPV6_PREFIX: 64,
      AUTH_TRUSTED_PROXIES: 0,
      PGLITE_DATA_DIR: ".data/pglite",
      AUTH_RESET_TTL: 1800,
      AUTH_REQUIRE_EMAIL_VERIFICATION: false,
      EMAIL_FROM: "bearer-kit <no-reply@localhost>",
      APP_URL: "http://localhost:3000",
      AUTH_MAX_SESSIONS_PER_USER: 100,
    });
  });

  it("reads the security event receivers as name=credential pairs and refuses bad ones by name, never quoting a credential", () => {
    const one = `ser_${"a".repeat(43)}`;
    const two = "B".repeat(32);
    expect(loadAuthEnv({}).AUTH_SECURITY_EVENT_RECEIVERS).toEqual([]);
    expect(loadAuthEnv({ AUTH_SECURITY_EVENT_RECEIVERS: ` notes=${one}, billing.v2=${two} ,` }).AUTH_SECURITY_EVENT_RECEIVERS).toEqual([
      { name: "notes", credential: one },
      { name: "billing.v2", credential: two },
    ]);
    const refused = (value: string) => () => loadAuthEnv({ AUTH_SECURITY_EVENT_RECEIVERS: value });
    expect(refused("notes=short")).toThrow(/AUTH_SECURITY_EVENT_RECEIVERS: entry 1: the credential of notes must be at least 32 characters/);
    expect(refused(`no tes=${one}`)).toThrow(/entry 1: the name must be 1 to 64/);
    expect(refused(`notes=${one},notes=${two}`)).toThrow(/entry 2: notes is listed twice/);
    expect(refused(`notes=${"x".repeat(31)} y`)).toThrow(/entry 1: the credential of notes must be a bearer token/);
    // A forgotten "name=" must not print the credential as a name.
    expect(refused(one)).toThrow(/entry 1: must be name=credential/);
    for (const value of [one, `notes=${"x".repeat(31)} y`]) expect(refused(value)).not.toThrow(/a{43}|x{31}/);
  });

  it("reads the session cache switch and its bounds", () => {
    expect(loadAuthEnv({})).toMatchObject({ AUTH_SESSION_CACHE: "on", AUTH_SESSION_CACHE_MAX_AGE: 60, AUTH_SESSION_CACHE_SIZE: 10_000 });
    expect(loadAuthEnv({ AUTH_SESSION_CACHE: "off", AUTH_SESSION_CACHE_MAX_AGE: "2m" })).toMatchObject({
      AUTH_SESSION_CACHE: "off",
      AUTH_SESSION_CACHE_MAX_AGE: 120,
    });
    expect(() => loadAuthEnv({ AUTH_SESSION_CACHE: "maybe" })).toThrow(/AUTH_SESSION_CACHE: must be "on" or "off"/);
    expect(() => loadAuthEnv({ AUTH_SESSION_CACHE_MAX_AGE: "10m" })).toThrow(/AUTH_SESSION_CACHE_MAX_AGE: must be at most 5 minutes/);
  });

  it("reads the mail variables and refuses bad ones by name", () => {
    expect(
      loadAuthEnv({ SMTP_URL: "smtp://u:p@mail:587", APP_URL: "https://app.example", AUTH_REQUIRE_EMAIL_VERIFICATION: "true" }),
    ).toMatchObject({ SMTP_URL: "smtp://u:p@mail:587", APP_URL: "https://app.example", AUTH_REQUIRE_EMAIL_VERIFICATION: true });
    expect(() => loadAuthEnv({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => loadAuthEnv({ APP_URL: "javascript:alert(1)" })).toThrow(/APP_URL: must be an http/);
    expect(() => loadAuthEnv({ APP_URL: "http://app#x" })).toThrow(/APP_URL: must have no query or fragment/);
    expect(() => loadAuthEnv({ AUTH_REQUIRE_EMAIL_VERIFICATION: "yes" })).toThrow(/AUTH_REQUIRE_EMAIL_VERIFICATION: must be true or false/);
    expect(() => loadAuthEnv({ AUTH_RESET_TTL: "2d" })).toThrow(/AUTH_RESET_TTL: must be at most 1 day/);
    expect(() => loadAuthEnv({ AUTH_RESET_TTL: "5s" })).toThrow(/AUTH_RESET_TTL: must be at least/);
    expect(loadAuthEnv({ AUTH_RESET_TTL: "15s" })).toMatchObject({ AUTH_RESET_TTL: 15 });
  });

  it("defaults APP_URL to http://localhost:$PORT, so mailed links follow the port", () => {
    expect(loadAuthEnv({ PORT: "3960" })).toMatchObject({ PORT: 3960, APP_URL: "http://localhost:3960" });
    expect(loadAuthEnv({ PORT: "" })).toMatchObject({ PORT: 3000, APP_URL: "http://localhost:3000" });
    expect(loadAuthEnv({ PORT: "3960", APP_URL: "https://app.example" })).toMatchObject({ APP_URL: "https://app.example" });
    expect(() => loadAuthEnv({ PORT: "http" })).toThrow("PORT: must be an integer from 1 to 65535");
    expect(() => loadAuthEnv({ PORT: "70000" })).toThrow("PORT: must be an integer from 1 to 65535");
  });

  it("accepts spans and treats empty variables as unset", () => {
    expect(loadAuthEnv({ AUTH_TOKEN_TTL: "15m", AUTH_TOKEN_LEEWAY: "", AUTH_SECRET: SECRET })).toMatchObject({
      AUTH_TOKEN_TTL: 900,
      AUTH_TOKEN_LEEWAY: 60,
    });
  });

  it.each([
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET: must be at least 32 bytes for ES256"],
    [{ AUTH_SECRET: SECRET, AUTH_PRIVATE_KEY: "-----BEGIN PUBLIC KEY-----" }, "AUTH_PRIVATE_KEY: must be a private key"],
    [{ AUTH_SECRET: SECRET, AUTH_TOKEN_ALGORITHM: "RS256", AUTH_PRIVATE_KEY: P256_PEM }, "AUTH_PRIVATE_KEY: must be an RSA key"],
    [{ AUTH_KEY_RELOAD_INTERVAL: "31" }, "AUTH_KEY_RELOAD_INTERVAL: must be at most 30 seconds"],
    [{ AUTH_SECRET: SECRET, AUTH_TOKEN_ALGORITHM: "HS512" }, "AUTH_SECRET: must be at least 64 bytes for HS512"],
    [{ AUTH_TOKEN_ALGORITHM: "PS256" }, "AUTH_TOKEN_ALGORITHM: must be one of ES256, EdDSA, RS256, HS256, HS384, HS512"],
    [{ AUTH_TOKEN_ALGORITHM: "none" }, "AUTH_TOKEN_ALGORITHM"],
    [{ AUTH_TOKEN_LEEWAY: "10m" }, "AUTH_TOKEN_LEEWAY: must be at most 5 minutes"],
    [{ AUTH_TOKEN_TTL: "soon" }, "AUTH_TOKEN_TTL: must be seconds or a span"],
    [{ AUTH_SIGNIN_MAX_FAILURES: "0" }, "AUTH_SIGNIN_MAX_FAILURES"],
    [{ AUTH_MAX_SESSIONS_PER_USER: "0" }, "AUTH_MAX_SESSIONS_PER_USER: must be at least 1"],
    [{ AUTH_MAX_SESSIONS_PER_USER: "many" }, "AUTH_MAX_SESSIONS_PER_USER: must be a whole number"],
    [{ AUTH_IPV6_PREFIX: "31" }, "AUTH_IPV6_PREFIX: must be at least 32"],
    [{ AUTH_IPV6_PREFIX: "129" }, "AUTH_IPV6_PREFIX: must be at most 128"],
    [{ AUTH_IPV6_PREFIX: "/64" }, "AUTH_IPV6_PREFIX: must be a whole number"],
    [{ DATABASE_URL: "postgres://localhost/app" }, "AUTH_SECRET: is required when DATABASE_URL is set"],
    [{ DATABASE_URL: "mysql://localhost/app", AUTH_SECRET: SECRET }, "DATABASE_URL"],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => loadAuthEnv(env)).toThrow(message);
  });
});
