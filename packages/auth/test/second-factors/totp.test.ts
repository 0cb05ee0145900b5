import { HOTP, Secret, URI } from "otpauth";
import { describe, expect, it } from "vitest";
import {
  createTOTPSecret,
  matchTOTP,
  normalizeTOTPCode,
  TOTP_PERIOD,
  totpCode,
  totpStep,
  totpURL,
} from "../../src/second-factors/totp.ts";

// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8 digits; the last 6 of them here.
const RFC_SECRET = new Secret({ buffer: new TextEncoder().encode("12345678901234567890").buffer }).base32;
const NOW = new Date("2026-12-07T12:00:10Z");
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe("TOTP", () => {
  it("makes 160-bit base32 secrets, each different", () => {
    const secret = createTOTPSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(secret).bytes.length).toBe(20);
    expect(createTOTPSecret()).not.toBe(secret);
  });

  it("generates the RFC 6238 test vectors (SHA-1)", () => {
    expect(totpCode(RFC_SECRET, new Date(59_000))).toBe("287082");
    expect(totpCode(RFC_SECRET, new Date(1_111_111_109_000))).toBe("081804");
    expect(totpCode(RFC_SECRET, new Date(20_000_000_000_000))).toBe("353130");
  });

  it("writes an otpauth URI with issuer, SHA1, 6 digits and period 30", () => {
    const secret = createTOTPSecret();
    const url = totpURL({ secret, issuer: "bearer-kit", account: "ada@example.com" });
    expect(url.startsWith("otpauth://totp/bearer-kit:ada%40example.com?")).toBe(true);
    const params = new URL(url).searchParams;
    expect(Object.fromEntries(params)).toEqual({ issuer: "bearer-kit", secret, algorithm: "SHA1", digits: "6", period: "30" });
    const parsed = URI.parse(url);
    expect(parsed.issuer).toBe("bearer-kit");
    expect(parsed.label).toBe("ada@example.com");
  });

  it("accepts the current code and one step of drift either side, and says which step", () => {
    const secret = createTOTPSecret();
    const step = totpStep(NOW);
    expect(matchTOTP(secret, totpCode(secret, NOW), { now: NOW, after: null })).toBe(step);
    expect(matchTOTP(secret, totpCode(secret, at(-TOTP_PERIOD)), { now: NOW, after: null })).toBe(step - 1);
    expect(matchTOTP(secret, totpCode(secret, at(TOTP_PERIOD)), { now: NOW, after: null })).toBe(step + 1);
  });

  it("refuses two steps of drift", () => {
    const secret = createTOTPSecret();
    expect(matchTOTP(secret, totpCode(secret, at(-2 * TOTP_PERIOD)), { now: NOW, after: null })).toBeNull();
    expect(matchTOTP(secret, totpCode(secret, at(2 * TOTP_PERIOD)), { now: NOW, after: null })).toBeNull();
  });

  it("refuses a code of the step already used, or of an earlier one (replay)", () => {
    const secret = createTOTPSecret();
    const step = totpStep(NOW);
    expect(matchTOTP(secret, totpCode(secret, NOW), { now: NOW, after: step })).toBeNull();
    expect(matchTOTP(secret, totpCode(secret, at(-TOTP_PERIOD)), { now: NOW, after: step - 1 })).toBeNull();
    expect(matchTOTP(secret, totpCode(secret, at(-TOTP_PERIOD)), { now: NOW, after: step })).toBeNull();
    // A later step still works after an earlier one was used.
    expect(matchTOTP(secret, totpCode(secret, at(TOTP_PERIOD)), { now: NOW, after: step })).toBe(step + 1);
  });

  it("refuses another secret's code, and anything that is not 6 digits", () => {
    const secret = createTOTPSecret();
    const code = totpCode(secret, NOW);
    expect(matchTOTP(createTOTPSecret(), code, { now: NOW, after: null })).toBeNull();
    expect(matchTOTP(secret, `${code}0`, { now: NOW, after: null })).toBeNull();
    expect(matchTOTP(secret, code.slice(1), { now: NOW, after: null })).toBeNull();
    expect(matchTOTP(secret, "abcdef", { now: NOW, after: null })).toBeNull();
    expect(matchTOTP(secret, "", { now: NOW, after: null })).toBeNull();
  });

  it("takes a code with the space apps show in the middle", () => {
    const secret = createTOTPSecret();
    const code = totpCode(secret, NOW);
    expect(normalizeTOTPCode(`${code.slice(0, 3)} ${code.slice(3)}`)).toBe(code);
    expect(matchTOTP(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, { now: NOW, after: null })).toBe(totpStep(NOW));
    expect(normalizeTOTPCode("１２３４５６")).toBeNull(); // full-width digits are not ASCII digits
  });

  it("agrees with otpauth's own HOTP for the step it reports", () => {
    const secret = createTOTPSecret();
    const step = matchTOTP(secret, totpCode(secret, NOW), { now: NOW, after: null });
    expect(step).not.toBeNull();
    expect(HOTP.generate({ secret: Secret.fromBase32(secret), counter: step ?? 0 })).toBe(totpCode(secret, NOW));
  });
});
