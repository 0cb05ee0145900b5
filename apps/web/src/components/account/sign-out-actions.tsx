"use client";

import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { readAuthError } from "../../lib/auth-error.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { signOut } from "../../lib/session/sign-out.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { FormAlert } from "../form-alert.tsx";

/**
 * "Sign out" ends this session; "Sign out everywhere" ends every session of the account.
 *
 * @example <SignOutActions />
 */
export function SignOutActions(): ReactNode {
  const { client } = trpc.useUtils();
  const logout = useMutation({ mutationFn: (everywhere: boolean) => signOut(client, { everywhere }) });
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
