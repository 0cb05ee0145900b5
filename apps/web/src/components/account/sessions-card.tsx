"use client";

import type { ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { describeUserAgent } from "../../lib/describe-user-agent.ts";
import { formatDateTime, formatRelativeTime } from "../../lib/format-time.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import type { AccountSession } from "../../lib/trpc/router-types.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { FormAlert } from "../form-alert.tsx";

function SessionRow({ session, onRevoke, revoking }: { session: AccountSession; onRevoke: () => void; revoking: boolean }): ReactNode {
  const createdAt = new Date(session.createdAt);
  const lastUsedAt = new Date(session.lastUsedAt);
  const device = describeUserAgent(session.userAgent);
  return (
    <li className="session" data-testid="session-row" data-current={session.current || undefined}>
      <div className="session-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
          {device.mobile ? (
            <>
              <rect x="7" y="2.5" width="10" height="19" rx="2.5" />
              <path d="M11 18.5h2" />
            </>
          ) : (
            <>
              <rect x="3" y="4" width="18" height="12" rx="2" />
              <path d="M8 20h8M12 16v4" />
            </>
          )}
        </svg>
      </div>
      <div className="session-body">
        <p className="session-title" title={session.userAgent ?? undefined}>
          {device.label}
          {session.current ? <span className="badge">This device</span> : null}
        </p>
        <p className="session-meta">
          Signed in {formatDateTime(createdAt)} · Last used{" "}
          <time dateTime={lastUsedAt.toISOString()}>{formatRelativeTime(lastUsedAt)}</time>
          {session.ipAddress ? ` · ${session.ipAddress}` : null}
        </p>
      </div>
      {session.current ? null : (
        <button type="button" className="button button-secondary button-small" disabled={revoking} onClick={onRevoke}>
          Revoke
        </button>
      )}
    </li>
  );
}

/**
 * The account's live sessions, newest use first, each revocable except this one.
 *
 * @example <SessionsCard />
 */
export function SessionsCard(): ReactNode {
  const utils = trpc.useUtils();
  const sessions = trpc.account.sessions.useQuery();
  const revoke = trpc.account.revokeSession.useMutation({
    onSettled: () => utils.account.sessions.invalidate(),
  });
  const failure = sessions.error ?? revoke.error;
  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-title-row">
        <h2 id="sessions-title">Active sessions</h2>
        <button
          type="button"
          className="button button-ghost button-small"
          disabled={sessions.isFetching}
          onClick={() => void sessions.refetch()}
        >
          Refresh
        </button>
      </div>
      <p className="muted">Every device signed in to your account. Revoke any you don&apos;t recognise.</p>
      <FormAlert message={failure ? friendlyMessage(readAuthError(failure)) : null} />
      {sessions.data ? (
        <ul className="session-list" aria-label="Sessions">
          {sessions.data.map((session) => (
            <SessionRow
              key={session.id}
              session={session}
              revoking={revoke.isPending && revoke.variables.id === session.id}
              onRevoke={() => revoke.mutate({ id: session.id })}
            />
          ))}
        </ul>
      ) : sessions.isPending ? (
        <p className="muted">Loading sessions…</p>
      ) : null}
    </section>
  );
}
