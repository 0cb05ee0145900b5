import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AccountView } from "../../components/account/account-view.tsx";
import { env } from "../../env.ts";
import { devMailboxEnabled } from "../../server/dev-mailbox-enabled.ts";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage(): ReactNode {
  // Read per request on the server (the layout renders every page per request), so a deployment
  // sets NOTES_URL at start-up rather than at build time.
  return <AccountView notesUrl={env.NOTES_URL} mailbox={devMailboxEnabled()} />;
}
