"use client";

import type { ReactNode } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { describeSecurityEvent } from "../../lib/describe-security-event.ts";
import { describeUserAgent } from "../../lib/describe-user-agent.ts";
import { formatDateTime } from "../../lib/format-time.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import type { AccountSecurityEvent } from "../../lib/trpc/router-types.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { FormAlert } from "../form-alert.tsx";

const PAGE = 10;

function EventRow({ event }: { event: AccountSecurityEvent }): ReactNode {
  const at = new Date(event.createdAt);
  return (
    <li className="session" data-testid="security-event" data-type={event.type}>
      <div className="session-body">
        <p className="session-title">
          {describeSecurityEvent(event)}
          {event.detail.new_device === true ? <span className="badge">New device</span> : null}
        </p>
        <p className="session-meta">
          <time dateTime={at.toISOString()}>{formatDateTime(at)}</time>
          {event.userAgent ? ` · ${describeUserAgent(event.userAgent).label}` : null}
          {event.ipAddress ? ` · ${event.ipAddress}` : null}
        </p>
      </div>
    </li>
  );
}

/**
 * The account's recent security activity (`account.securityEvents`), newest first, ten at a time:
 * what happened, when, on which device and from which address.
 *
 * @example <SecurityActivityCard />
 */
export function SecurityActivityCard(): ReactNode {
  const events = trpc.account.securityEvents.useInfiniteQuery(
    { limit: PAGE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const rows = events.data?.pages.flatMap((page) => page.events) ?? [];
  return (
    <section className="card" aria-labelledby="security-activity-title">
      <div className="card-title-row">
        <h2 id="security-activity-title">Recent security activity</h2>
        <button type="button" className="button button-ghost button-small" disabled={events.isFetching} onClick={() => void events.refetch()}>
          Show latest
        </button>
      </div>
      <p className="muted">Sign-ins, sign-outs and changes to how you sign in. Anything you don&apos;t recognise? Change your password.</p>
      <FormAlert message={events.error ? friendlyMessage(readAuthError(events.error)) : null} />
      {events.isPending ? (
        <p className="muted">Loading activity…</p>
      ) : (
        <ul className="session-list" aria-label="Security activity">
          {rows.map((event) => (
            <EventRow key={event.id} event={event} />
          ))}
        </ul>
      )}
      {events.hasNextPage ? (
        <button type="button" className="button button-secondary button-small" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
          Show older
        </button>
      ) : null}
    </section>
  );
}
