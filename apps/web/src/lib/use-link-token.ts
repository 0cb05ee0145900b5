import { useEffect, useRef, useState } from "react";

/** The token of an emailed link: still being read, absent from the URL, or found. */
export type LinkToken = { status: "reading" } | { status: "missing" } | { status: "found"; token: string };

/**
 * Takes the `token` from the URL fragment (`/reset-password#token=…`) once, after hydration,
 * and removes the fragment from the address bar. The fragment is never sent to a server, so
 * the token stays out of access logs and `Referer`; clearing it keeps it out of the history
 * entry, a bookmark or a screenshot of the address bar too.
 *
 * @example const link = useLinkToken(); if (link.status === "found") verify(link.token);
 */
export function useLinkToken(): LinkToken {
  const [state, setState] = useState<LinkToken>({ status: "reading" });
  // React's development double-run of effects must not read the already-cleared fragment.
  const taken = useRef(false);
  useEffect(() => {
    if (taken.current) return;
    taken.current = true;
    const token = new URLSearchParams(window.location.hash.slice(1)).get("token") ?? "";
    if (window.location.hash !== "") window.history.replaceState(window.history.state, "", window.location.pathname);
    setState(token === "" ? { status: "missing" } : { status: "found", token });
  }, []);
  return state;
}
