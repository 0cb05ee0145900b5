"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { useSession } from "@bearer-kit/react";

function Shortcut(): ReactNode {
  const session = useSession();
  const pathname = usePathname();
  // Nothing while restoring: guessing "Sign in" would flash for signed-in visitors on every load.
  if (session.status === "restoring" || session.status === "unavailable") return null;
  if (session.status === "signed-in") {
    return (
      <Link href="/account" className="nav-link">
        Account
      </Link>
    );
  }
  // Offer the other door on the auth pages; a link to the page you are on helps no one.
  return pathname === "/signin" ? (
    <Link href="/register" className="nav-link">
      Create account
    </Link>
  ) : (
    <Link href="/signin" className="nav-link">
      Sign in
    </Link>
  );
}

/**
 * Brand and a session-aware shortcut: "Account" when signed in, "Sign in" otherwise.
 *
 * @example <SiteHeader />
 */
export function SiteHeader(): ReactNode {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round">
            <circle cx="8" cy="15" r="4" />
            <path d="M11 12l8-8M16 7l2 2M14 9l2 2" />
          </svg>
        </span>
        bearer-kit
      </Link>
      <nav aria-label="Main" className="site-nav">
        <Shortcut />
      </nav>
    </header>
  );
}
