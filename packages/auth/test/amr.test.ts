import { describe, expect, it } from "vitest";
import { hasMFA, parseAMR, PASSWORD_AMR, RECOVERY_CODE_AMR, TOTP_AMR } from "../src/amr.ts";

describe("amr", () => {
  it("names what each sign-in proved (RFC 8176)", () => {
    expect(PASSWORD_AMR).toEqual(["pwd"]);
    expect(TOTP_AMR).toEqual(["pwd", "otp", "mfa"]);
    expect(RECOVERY_CODE_AMR).toEqual(["pwd", "mfa"]);
    expect(hasMFA(PASSWORD_AMR)).toBe(false);
    expect(hasMFA(TOTP_AMR)).toBe(true);
    expect(hasMFA(RECOVERY_CODE_AMR)).toBe(true);
  });

  it("reads a claim of known values only", () => {
    expect(parseAMR(["pwd", "otp", "mfa"])).toEqual(["pwd", "otp", "mfa"]);
    expect(parseAMR([])).toEqual([]);
    expect(parseAMR(["pwd", "hwk", "user", "mfa"])).toEqual(["pwd", "hwk", "user", "mfa"]);
    expect(parseAMR(["pwd", "sms"])).toBeNull();
    expect(parseAMR("pwd")).toBeNull();
    expect(parseAMR(Array.from({ length: 7 }, () => "pwd"))).toBeNull();
    expect(parseAMR(undefined)).toBeNull();
  });
});
