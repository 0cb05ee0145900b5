import { describe, expect, it } from "vitest";
import { appRouter } from "../src/index.ts";

// Clients call procedures by path (the web client, cookie mode, other apps' `authRouter`): the
// routers are split one per capability, but merged so that no path moves.
describe("appRouter", () => {
  it("serves every procedure at its path", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(
      [
        "auth.register",
        "auth.signin",
        "auth.refresh",
        "auth.logout",
        "auth.me",
        "auth.sessionEvents",
        "auth.requestPasswordReset",
        "auth.resetPassword",
        "auth.verifyEmail",
        "auth.resendVerification",
        "auth.verifySecondFactor",
        "auth.passkeySigninOptions",
        "auth.signinWithPasskey",
        "auth.reportUnrecognizedSignin",
        "account.changePassword",
        "account.changeEmail",
        "account.delete",
        "account.sessions",
        "account.revokeSession",
        "account.totpSetup",
        "account.totpEnable",
        "account.totpDisable",
        "account.recoveryCodes",
        "account.passkeys",
        "account.passkeyConfirmOptions",
        "account.passkeyRegistrationOptions",
        "account.addPasskey",
        "account.renamePasskey",
        "account.removePasskey",
        "account.securityEvents",
      ].sort(),
    );
  });
});
