import { useSession } from "@bearer-kit/react";
import { trpc } from "./trpc/trpc.ts";

/** The signed-in account's two-step verification, as `auth.me` reports it. */
export interface TwoFactorState {
  totp: boolean;
  recoveryCodesLeft: number;
  /** How many passkeys the account has; any one makes a password sign-in ask for a second step. */
  passkeys: number;
}

/**
 * Whether the signed-in account has two-step verification on; `null` until `auth.me` has
 * answered for this session's user (never a cached answer about whoever held the tab before).
 *
 * @example const twoFactor = useTwoFactor(); if (twoFactor?.totp) showCodeField();
 */
export function useTwoFactor(): TwoFactorState | null {
  const session = useSession();
  // Shared with the profile card's query: one request for the page.
  const me = trpc.auth.me.useQuery(undefined, { enabled: session.status === "signed-in" });
  if (session.status !== "signed-in" || me.data?.id !== session.user.id) return null;
  return me.data.twoFactor;
}
