"use client";

import type { SignedInSession } from "@bearer-kit/react/client";
import type { ReactNode } from "react";
import { formatClockTime } from "../../lib/format-time.ts";
import { trpc } from "../../lib/trpc/trpc.ts";
import { EmailVerification } from "./email-verification.tsx";
import { SignOutActions } from "./sign-out-actions.tsx";

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

/**
 * Who is signed in, whether their email is verified, when the current access token expires,
 * and the ways out. `mailbox` links the demo mailbox, which exists while no SMTP server is set.
 *
 * @example <ProfileCard session={session} mailbox={true} />
 */
export function ProfileCard({ session, mailbox }: { session: SignedInSession; mailbox: boolean }): ReactNode {
  // `auth.me` is a protected call: it proves the token works and picks up profile changes.
  const me = trpc.auth.me.useQuery();
  // Only data about this session's user: never a cached profile of whoever held the tab before.
  const user = me.data?.id === session.user.id ? me.data : session.user;
  return (
    <section className="card" aria-labelledby="profile-name">
      <div className="profile">
        <div className="avatar" aria-hidden="true">
          {initials(user.name)}
        </div>
        <div className="profile-text">
          <h1 id="profile-name">{user.name}</h1>
          <p className="muted" data-testid="profile-email">
            {user.email}
          </p>
        </div>
      </div>
      <EmailVerification verified={me.data?.id === session.user.id ? me.data.emailVerified : undefined} />
      {mailbox ? (
        <p className="field-hint">
          No SMTP server is configured, so this demo delivers mail to its <a href="/dev/mailbox">demo mailbox</a>.
        </p>
      ) : null}
      <div className="token-box">
        <p className="token-expiry" data-testid="token-expiry">
          Token expires at <time dateTime={session.expiresAt.toISOString()}>{formatClockTime(session.expiresAt)}</time>
        </p>
        <p className="field-hint">Access tokens are short-lived and kept in memory only; they renew silently while you stay signed in.</p>
      </div>
      <SignOutActions />
    </section>
  );
}
