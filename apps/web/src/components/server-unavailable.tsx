"use client";

import type { ReactNode } from "react";
import { useSessionClient } from "@bearer-kit/react";

/**
 * Shown while the session cannot be restored because the server does not answer. The session
 * may be fine, so the page stays where it is and retries by itself, with backoff.
 *
 * @example if (session.status === "unavailable") return <ServerUnavailable />;
 */
export function ServerUnavailable(): ReactNode {
  const session = useSessionClient();
  return (
    <section className="card card-notice" role="alert">
      <h2>Can&apos;t reach the server</h2>
      <p className="muted">Check your connection. We keep trying in the background; you stay signed in.</p>
      <button type="button" className="button button-secondary" onClick={session.retryRestoreNow}>
        Retry now
      </button>
    </section>
  );
}
