import { useSession } from "@bearer-kit/react";
import type { Session } from "@bearer-kit/react/client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Sends the visitor to `to` once the session reaches `when`; returns the session meanwhile.
 * Waits out "restoring", so a reload of a protected page does not bounce through /signin.
 *
 * @example const session = useSessionRedirect({ when: "signed-out", to: "/signin" });
 */
export function useSessionRedirect(options: { when: "signed-in" | "signed-out"; to: string }): Session {
  const session = useSession();
  const router = useRouter();
  const { when, to } = options;
  // Fetched ahead, so the redirect is instant when it comes: a session ended on another device
  // must take this page to /signin within a second, with no round trip left to wait for.
  useEffect(() => router.prefetch(to), [router, to]);
  useEffect(() => {
    if (session.status === when) router.replace(to);
  }, [session.status, when, to, router]);
  return session;
}
