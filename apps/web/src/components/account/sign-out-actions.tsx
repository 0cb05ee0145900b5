"use client";

import type { ReactNode } from "react";
import { readAuthError } from "../../lib/auth-error.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { isSessionEnded } from "../../lib/session/session-ended.ts";
import { endSession } from "../../lib/session/session-transitions.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { FormAlert } from "../form-alert.tsx";

/**
 * "Sign out" ends this session; "Sign out everywhere" ends every session of the account.
 *
 * @example <SignOutActions />
 */
export function SignOutActions(): ReactNode {
  const logout = trpc.auth.logout.useMutation({
    // Every tab shares the refresh cookie the server just cleared, so all of them sign out.
    onSuccess: () => endSession({ broadcast: true }),
    onError: (error) => {
      if (isSessionEnded(readAuthError(error))) endSession({ broadcast: true });
    },
  });
  const error = logout.error ? readAuthError(logout.error) : null;
  return (
    <>
      <div className="actions">
        <button type="button" className="button button-secondary" disabled={logout.isPending} onClick={() => logout.mutate({})}>
          Sign out
        </button>
        <button
          type="button"
          className="button button-danger-outline"
          disabled={logout.isPending}
          onClick={() => logout.mutate({ everywhere: true })}
        >
          Sign out everywhere
        </button>
      </div>
      <FormAlert message={error && !isSessionEnded(error) ? friendlyMessage(error) : null} />
    </>
  );
}
