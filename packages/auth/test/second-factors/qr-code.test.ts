import { describe, expect, it } from "vitest";
import { totpQRCodeSVG } from "../../src/second-factors/qr-code.ts";
import { createTOTPSecret, totpURL } from "../../src/second-factors/totp.ts";

describe("TOTP QR code", () => {
  it("is an inline SVG document that loads nothing from elsewhere", async () => {
    const url = totpURL({ secret: createTOTPSecret(), issuer: "bearer-kit", account: "ada@example.com" });
    const svg = await totpQRCodeSVG(url);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain("<path");
    // Nothing a CSP would have to allow: no external reference, no script, no embedded image.
    expect(svg).not.toMatch(/href|<script|<image|url\(/i);
    // The secret is in the picture, not in the markup as text.
    expect(svg).not.toContain("otpauth");
  });
});
