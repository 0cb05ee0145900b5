import { describe, expect, it } from "vitest";
import { createSecretBox, TOTP_SECRET_LABEL } from "../../src/second-factors/secret-box.ts";

const SECRET = new TextEncoder().encode("a server secret of at least thirty-two bytes");
const USER = "6f1d3b52-2b7c-4a8e-9d1f-0c2a4b6d8e10";
const OTHER = "0b8a2c4e-6d1f-4e3a-8b5c-7d9e1f2a3b4c";

describe("secret box", () => {
  const box = createSecretBox(SECRET, TOTP_SECRET_LABEL);

  it("opens what it sealed, and the sealed form does not contain the plaintext", () => {
    const sealed = box.seal("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", USER);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("JBSWY3DP");
    expect(box.open(sealed, USER)).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  });

  it("seals the same plaintext differently each time (random nonce)", () => {
    expect(box.seal("x", USER)).not.toBe(box.seal("x", USER));
  });

  it("refuses a ciphertext moved to another owner", () => {
    expect(() => box.open(box.seal("secret", USER), OTHER)).toThrow();
  });

  it("refuses a ciphertext sealed under another label or another server secret", () => {
    const sealed = box.seal("secret", USER);
    expect(() => createSecretBox(SECRET, "bearer-kit signing-key encryption").open(sealed, USER)).toThrow();
    const otherSecret = new TextEncoder().encode("another server secret, also thirty-two bytes");
    expect(() => createSecretBox(otherSecret, TOTP_SECRET_LABEL).open(sealed, USER)).toThrow();
  });

  it("refuses an altered or malformed blob", () => {
    const sealed = box.seal("secret", USER);
    const [version, iv, body = ""] = sealed.split(".");
    const flipped = `${body.slice(0, 2)}${body[2] === "A" ? "B" : "A"}${body.slice(3)}`;
    expect(() => box.open(`${version}.${iv}.${flipped}`, USER)).toThrow();
    expect(() => box.open(`v2.${iv}.${body}`, USER)).toThrow("unreadable");
    expect(() => box.open(`${sealed}.extra`, USER)).toThrow("unreadable");
    expect(() => box.open("v1..", USER)).toThrow("unreadable");
  });
});
