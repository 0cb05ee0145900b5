"use client";

import type { ReactNode } from "react";
import { useSessionRedirect } from "../../lib/session/use-session-redirect.ts";
import { ServerUnavailable } from "../server-unavailable.tsx";
import { ChangeEmailCard } from "./change-email-card.tsx";
import { ChangePasswordCard } from "./change-password-card.tsx";
import { DeleteAccountCard } from "./delete-account-card.tsx";
import { NotesCard } from "./notes-card.tsx";
import { PasskeysCard } from "./passkeys/passkeys-card.tsx";
import { ProfileCard } from "./profile-card.tsx";
import { SecurityActivityCard } from "./security-activity-card.tsx";
import { SessionsCard } from "./sessions-card.tsx";
import { TwoFactorCard } from "./two-factor/two-factor-card.tsx";

/**
 * The protected account page: visitors without a session are sent to /signin. `notesUrl` is
 * where the browser reaches the notes service (`NOTES_URL`); `mailbox` says whether the demo
 * mailbox (/dev/mailbox) is on.
 *
 * @example <AccountView notesUrl="http://localhost:3001" mailbox={false} />
 */
export function AccountView({ notesUrl, mailbox }: { notesUrl: string; mailbox: boolean }): ReactNode {
  const session = useSessionRedirect({ when: "signed-out", to: "/signin" });
  if (session.status === "unavailable") {
    return (
      <div className="page-stack">
        <ServerUnavailable />
      </div>
    );
  }
  if (session.status !== "signed-in") {
    return (
      <div className="page-stack" aria-busy="true">
        <section className="card card-loading">
          <span className="spinner" aria-hidden="true" />
          <p className="muted">Loading your account…</p>
        </section>
      </div>
    );
  }
  return (
    <div className="page-stack">
      <ProfileCard session={session} mailbox={mailbox} />
      <NotesCard notesUrl={notesUrl} userId={session.user.id} />
      <SessionsCard />
      <SecurityActivityCard />
      <TwoFactorCard email={session.user.email} />
      <PasskeysCard email={session.user.email} />
      <ChangeEmailCard email={session.user.email} />
      <ChangePasswordCard email={session.user.email} />
      <DeleteAccountCard />
    </div>
  );
}
