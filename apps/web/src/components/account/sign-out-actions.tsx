"use client";

import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { sessionClient } from "../../lib/session-client.ts";
import { FormAlert } from "../form-alert.tsx";

/**
 * "Sign out" ends this session; "Sign out everywhere" ends every session of the account.
 *
 * @example <SignOutActions />
 */
export function SignOutActions(): ReactNode {
  const logout = useMutation({
    mutationFn: (everywhere: boolean) => (everywhere ? sessionClient.signOutEverywhere() : sessionClient.signOut()),
  });
  const error = logout.error ? readAuthError(logout.error) : null;
  return (
    <>
      <div className="actions">
        <button type="button" className="button button-secondary" disabled={logout.isPending} onClick={() => logout.mutate(false)}>
          Sign out
        </button>
        <button
          type="button"
          className="button button-danger-outline"
          disabled={logout.isPending}
          onClick={() => logout.mutate(true)}
        >
          Sign out everywhere
        </button>
      </div>
      <FormAlert message={error ? friendlyMessage(error) : null} />
    </>
  );
}
