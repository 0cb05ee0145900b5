"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useSession } from "@bearer-kit/react";

/**
 * The landing page's calls to action, which depend on whether a session is held.
 *
 * @example <LandingActions />
 */
export function LandingActions(): ReactNode {
  const session = useSession();
  if (session.status === "signed-in") {
    return (
      <div className="hero-actions">
        <Link href="/account" className="button button-primary">
          Go to your account
        </Link>
        <p className="muted">Signed in as {session.user.email}</p>
      </div>
    );
  }
  return (
    <div className="hero-actions">
      <Link href="/register" className="button button-primary">
        Create account
      </Link>
      <Link href="/signin" className="button button-secondary">
        Sign in
      </Link>
    </div>
  );
}
