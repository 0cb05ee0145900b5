import { describe, expect, it } from "vitest";
import { loadAuthEnv } from "./env.ts";
import { resolveRelyingParty } from "./relying-party.ts";

describe("resolveRelyingParty", () => {
  it("takes the RP ID and the origin from APP_URL", () => {
    expect(resolveRelyingParty("https://app.example.com")).toEqual({ id: "app.example.com", name: "bearer-kit", origins: ["https://app.example.com"] });
    expect(resolveRelyingParty("http://localhost:3000")).toEqual({ id: "localhost", name: "bearer-kit", origins: ["http://localhost:3000"] });
  });

  it("serves several origins under a registrable suffix of their hosts", () => {
    const rp = resolveRelyingParty("https://app.example.co.uk", {
      rpId: "example.co.uk",
      origins: ["https://app.example.co.uk", "https://www.example.co.uk"],
      rpName: "Example",
    });
    expect(rp).toEqual({ id: "example.co.uk", name: "Example", origins: ["https://app.example.co.uk", "https://www.example.co.uk"] });
  });

  it("refuses an RP ID that is not the host or a suffix of it, a public suffix, or an IP address", () => {
    expect(() => resolveRelyingParty("https://app.example.com", { rpId: "example.org" })).toThrow(/not app\.example\.com or a suffix of it/);
    expect(() => resolveRelyingParty("https://app.example.com", { rpId: "ample.com" })).toThrow(/suffix/);
    expect(() => resolveRelyingParty("https://app.example.com", { rpId: "com" })).toThrow(/public suffix/);
    expect(() => resolveRelyingParty("https://app.example.co.uk", { rpId: "co.uk" })).toThrow(/public suffix/);
    // Private PSL entries count as browsers count them: one github.io site may not claim another's passkeys.
    expect(() => resolveRelyingParty("https://me.github.io", { rpId: "github.io" })).toThrow(/public suffix/);
    expect(() => resolveRelyingParty("https://10.0.0.1", { rpId: "10.0.0.1" })).toThrow(/IP address/);
  });

  it("refuses an origin off the RP ID, a plain-http one off localhost, and one that is not an origin", () => {
    expect(() => resolveRelyingParty("https://app.example.com", { rpId: "example.com", origins: ["https://evil.test"] })).toThrow(/evil\.test/);
    expect(() => resolveRelyingParty("https://app.example.com", { origins: ["http://app.example.com"] })).toThrow(/must use https/);
    expect(() => resolveRelyingParty("https://app.example.com", { origins: ["https://app.example.com/path"] })).toThrow(/not an origin/);
  });

  it("turns passkeys off, without refusing to start, when nothing was configured and APP_URL cannot host them", () => {
    expect(resolveRelyingParty("http://127.0.0.1:3000")).toBeNull();
    expect(resolveRelyingParty("http://app.internal")).toBeNull();
  });
});

describe("the AUTH_WEBAUTHN_* variables", () => {
  it("are read, split and checked against APP_URL when the environment is loaded", () => {
    const env = loadAuthEnv({
      APP_URL: "https://app.example.com",
      AUTH_WEBAUTHN_RP_ID: "example.com",
      AUTH_WEBAUTHN_ORIGINS: "https://app.example.com, https://www.example.com",
      AUTH_WEBAUTHN_RP_NAME: "Example",
    });
    expect(env).toMatchObject({
      AUTH_WEBAUTHN_RP_ID: "example.com",
      AUTH_WEBAUTHN_ORIGINS: ["https://app.example.com", "https://www.example.com"],
      AUTH_WEBAUTHN_RP_NAME: "Example",
    });
  });

  it("stop the start with the variable's name on a mismatch", () => {
    expect(() => loadAuthEnv({ APP_URL: "https://app.example.com", AUTH_WEBAUTHN_RP_ID: "other.com" })).toThrow(/AUTH_WEBAUTHN_RP_ID: the RP ID "other.com" is not/);
    expect(() => loadAuthEnv({ APP_URL: "https://app.example.com", AUTH_WEBAUTHN_ORIGINS: "https://evil.test" })).toThrow(/AUTH_WEBAUTHN_ORIGINS/);
    expect(() => loadAuthEnv({ APP_URL: "https://app.example.com", AUTH_WEBAUTHN_RP_ID: "com" })).toThrow(/public suffix/);
  });
});
