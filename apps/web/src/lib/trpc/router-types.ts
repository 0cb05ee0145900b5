import type { AppRouter } from "@bearer-kit/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

/** One row of `account.sessions`. */
export type AccountSession = inferRouterOutputs<AppRouter>["account"]["sessions"][number];

/** One entry of `account.securityEvents`. */
export type AccountSecurityEvent = inferRouterOutputs<AppRouter>["account"]["securityEvents"]["events"][number];

/** One row of `account.passkeys`: `{ id, name, createdAt, lastUsedAt, synced }`. */
export type PasskeySummary = inferRouterOutputs<AppRouter>["account"]["passkeys"][number];

/**
 * What proves a change to the account's passkeys: the password, and, when the account has TOTP
 * or another passkey, a `code` (TOTP or recovery code) or a `passkey` answer.
 */
export type PasskeyConfirmation = inferRouterInputs<AppRouter>["account"]["passkeyRegistrationOptions"];
