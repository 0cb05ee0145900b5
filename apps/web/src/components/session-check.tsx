import type { ReactNode } from "react";

/**
 * Stands in for an auth page's form while the session is being restored, so a signed-in
 * visitor is not shown a sign-in form that vanishes a moment later. Without JavaScript the
 * session is never restored: the form is rendered inside `<noscript>` then.
 *
 * @example {restoring ? <SessionCheck>{form}</SessionCheck> : form}
 */
export function SessionCheck({ children }: { children: ReactNode }): ReactNode {
  return (
    <>
      <div className="session-check" role="status" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <span className="muted">Checking your session…</span>
      </div>
      <noscript>
        <p className="alert alert-error">This page needs JavaScript to sign you in. Turn it on and reload.</p>
        {children}
      </noscript>
    </>
  );
}
