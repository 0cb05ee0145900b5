import { describe, expect, it } from "vitest";
import {
  createMFAToken,
  hashMFAToken,
  isWellFormedMFAToken,
  MFA_TOKEN_TTL,
  type MFAChallengeState,
  mfaChallengeUsable,
} from "../../src/second-factors/mfa-token.ts";

const NOW = new Date("2026-12-07T12:00:00Z");
const challenge: MFAChallengeState = {
  credentialVersion: 3,
  ipAddress: "203.0.113.7",
  expiresAt: new Date(NOW.getTime() + MFA_TOKEN_TTL * 1000),
  failures: 0,
  usedAt: null,
};
const current = { now: NOW, ipAddress: "203.0.113.7", credentialVersion: 3, maxFailures: 5 };

describe("mfa token", () => {
  it("is opaque, 256 random bits, and stored only as its hash", () => {
    const { token, hash } = createMFAToken();
    expect(token).toMatch(/^mfa_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashMFAToken(token));
    expect(hash).not.toContain(token.slice(4));
    expect(createMFAToken().token).not.toBe(token);
    expect(MFA_TOKEN_TTL).toBe(300);
  });

  it("refuses malformed tokens before any look-up", () => {
    const { token } = createMFAToken();
    expect(isWellFormedMFAToken(token)).toBe(true);
    expect(isWellFormedMFAToken(token.slice(4))).toBe(false);
    expect(isWellFormedMFAToken(`reset_${token.slice(4)}`)).toBe(false);
    expect(isWellFormedMFAToken(`${token}x`)).toBe(false);
    expect(isWellFormedMFAToken(`${token.slice(0, -1)}!`)).toBe(false);
    expect(isWellFormedMFAToken(42)).toBe(false);
  });

  it("may be answered while unused, unexpired, with attempts left, from its address, under its credential version", () => {
    expect(mfaChallengeUsable(challenge, current)).toBe(true);
    expect(mfaChallengeUsable(challenge, { ...current, now: new Date(challenge.expiresAt.getTime() - 1) })).toBe(true);
    expect(mfaChallengeUsable({ ...challenge, failures: 4 }, current)).toBe(true);
  });

  it("is dead once used, expired, out of attempts, asked from elsewhere, or after a credential change", () => {
    expect(mfaChallengeUsable({ ...challenge, usedAt: NOW }, current)).toBe(false);
    expect(mfaChallengeUsable(challenge, { ...current, now: challenge.expiresAt })).toBe(false);
    expect(mfaChallengeUsable({ ...challenge, failures: 5 }, current)).toBe(false);
    expect(mfaChallengeUsable(challenge, { ...current, ipAddress: "198.51.100.1" })).toBe(false);
    expect(mfaChallengeUsable(challenge, { ...current, ipAddress: null })).toBe(false);
    expect(mfaChallengeUsable(challenge, { ...current, credentialVersion: 4 })).toBe(false);
    expect(mfaChallengeUsable(challenge, { ...current, credentialVersion: null })).toBe(false);
  });
});
