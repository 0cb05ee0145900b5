import { describe, expect, it, vi } from "vitest";
import { AuthError, isAuthError } from "./errors.ts";

describe("AuthError", () => {
  it("carries a stable code, and is recognised across duplicate copies of the module", async () => {
    const error = new AuthError("RATE_LIMITED", "slow down", { retryAfter: 30 });
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryAfter: 30, name: "AuthError" });
    // A second copy of the module, as a bundler that loads it twice would create.
    vi.resetModules();
    const copy = await import("./errors.ts");
    expect(copy.AuthError).not.toBe(AuthError);
    expect(new copy.AuthError("TOKEN_EXPIRED", "expired")).toBeInstanceOf(AuthError);
    expect(isAuthError(new copy.AuthError("TOKEN_EXPIRED", "expired"), "TOKEN_EXPIRED")).toBe(true);
    expect(new Error("plain")).not.toBeInstanceOf(AuthError);
  });
});
