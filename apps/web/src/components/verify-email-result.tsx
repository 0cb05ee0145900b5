"use client";

import Link from "next/link";
import { type ReactNode, useEffect, useRef } from "react";
import { readAuthError } from "@bearer-kit/react/client";
import { friendlyMessage } from "../lib/friendly-message.ts";
import { VERIFY_LINK_MESSAGES } from "../lib/link-messages.ts";
import { useSession } from "@bearer-kit/react";
import { trpc } from "../lib/trpc/trpc.ts";
import { useLinkToken } from "../lib/use-link-token.ts";
import { AuthCard } from "./auth-card.tsx";
import { FormAlert } from "./form-alert.tsx";

function Busy({ text }: { text: string }): ReactNode {
  return (
    <div className="session-check" role="status" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      <span className="muted">{text}</span>
    </div>
  );
}

/**
 * Consumes the token of a verification (or email-change) link as the page opens, and says what
 * happened: verified, email changed (to which address), expired, already used or not valid.
 *
 * @example <VerifyEmailResult />
 */
export function VerifyEmailResult(): ReactNode {
  const link = useLinkToken();
  const session = useSession();
  const utils = trpc.useUtils();
  const verify = trpc.auth.verifyEmail.useMutation({
    // A signed-in tab shows the badge and address from `auth.me`: fetch them again.
    onSuccess: () => void utils.auth.me.invalidate(),
  });
  // Once per page: the token is single-use, a second call would report LINK_USED. And only once
  // the session is known: a signed-in tab's call carries its token, so an email change signs out
  // every other session but this one.
  const sent = useRef(false);
  const { mutate } = verify;
  const settled = session.status === "signed-in" || session.status === "signed-out";
  useEffect(() => {
    if (link.status !== "found" || !settled || sent.current) return;
    sent.current = true;
    mutate({ token: link.token });
  }, [link, settled, mutate]);

  const next =
    session.status === "signed-in" ? <Link href="/account">Go to your account</Link> : <Link href="/signin">Sign in</Link>;
  let content: ReactNode;
  if (link.status === "missing") {
    content = <FormAlert message="This page needs the link from your email, in full. Open the link again." />;
  } else if (verify.isSuccess) {
    const { status, email } = verify.data;
    content = (
      <div role="status" className="alert alert-success" data-testid="verify-result">
        {status === "email_changed" ? (
          <>
            Your email address is now <strong>{email}</strong>. Use it to sign in; your other sessions were signed out.
          </>
        ) : (
          <>
            <strong>{email}</strong> is verified. Thank you.
          </>
        )}
      </div>
    );
  } else if (verify.isError) {
    content = <FormAlert message={friendlyMessage(readAuthError(verify.error), { ...VERIFY_LINK_MESSAGES })} />;
  } else {
    content = (
      <>
        <Busy text="Checking your link…" />
        <noscript>
          <p className="alert alert-error">This page needs JavaScript to read the link from your email. Turn it on and reload.</p>
        </noscript>
      </>
    );
  }

  return (
    <AuthCard title="Email verification" subtitle="The link from your email is checked here." footer={next}>
      {content}
    </AuthCard>
  );
}
