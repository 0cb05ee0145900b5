import type { ReactNode } from "react";

/**
 * The primary button of a form. Its name never changes while busy, so it stays findable.
 *
 * @example <SubmitButton pending={mutation.isPending}>Sign in</SubmitButton>
 */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }): ReactNode {
  return (
    <button type="submit" className="button button-primary button-block" disabled={pending} aria-busy={pending}>
      {pending ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
