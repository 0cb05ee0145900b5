import { describe, expect, it } from "vitest";
import {
  createRecoveryCodeHasher,
  createRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_LENGTH,
} from "../../src/second-factors/recovery-codes.ts";

const SECRET = new TextEncoder().encode("a server secret of at least thirty-two bytes");

describe("recovery codes", () => {
  it("makes 10 distinct codes of at least 50 random bits each", () => {
    const codes = createRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // 32 symbols carry 5 bits each.
    expect(RECOVERY_CODE_LENGTH * 5).toBeGreaterThanOrEqual(50);
  });

  it("uses every symbol of the alphabet, roughly evenly", () => {
    const counts = new Map<string, number>();
    for (let round = 0; round < 100; round += 1) {
      for (const char of createRecoveryCodes().join("").replaceAll("-", "")) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    // 12,000 symbols over 32: 375 expected each; a biased mapping would leave some far off.
    expect(counts.size).toBe(32);
    for (const count of counts.values()) expect(count).toBeGreaterThan(250);
  });

  it("reads a code typed in lower case, without hyphens, with spaces, or with O, I and L for 0, 1 and 1", () => {
    expect(normalizeRecoveryCode("7KQ2-M9XD-4T0B")).toBe("7KQ2M9XD4T0B");
    expect(normalizeRecoveryCode("7kq2m9xd4t0b")).toBe("7KQ2M9XD4T0B");
    expect(normalizeRecoveryCode(" 7KQ2 M9XD 4TOB ")).toBe("7KQ2M9XD4T0B");
    expect(normalizeRecoveryCode("1111-IIII-LLLL")).toBe("111111111111");
  });

  it("refuses what cannot be a code", () => {
    expect(normalizeRecoveryCode("7KQ2-M9XD-4T0")).toBeNull();
    expect(normalizeRecoveryCode("7KQ2-M9XD-4T0BB")).toBeNull();
    expect(normalizeRecoveryCode("7KQ2-M9XD-4TUB")).toBeNull(); // U is not in the alphabet
    expect(normalizeRecoveryCode("123456")).toBeNull(); // a TOTP code
    expect(normalizeRecoveryCode("x".repeat(1000))).toBeNull();
  });

  it("hashes with a key of its own: stable for one secret, different under another", () => {
    const hash = createRecoveryCodeHasher(SECRET);
    expect(hash("7KQ2M9XD4T0B")).toBe(hash("7KQ2M9XD4T0B"));
    expect(hash("7KQ2M9XD4T0B")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash("7KQ2M9XD4T0B")).not.toBe(hash("7KQ2M9XD4T0C"));
    const other = createRecoveryCodeHasher(new TextEncoder().encode("another server secret, also thirty-two bytes"));
    expect(other("7KQ2M9XD4T0B")).not.toBe(hash("7KQ2M9XD4T0B"));
  });
});
