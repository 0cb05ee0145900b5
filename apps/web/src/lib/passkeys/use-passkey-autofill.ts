"use client";

import {
  type AuthenticationResponseJSON,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";
import { useEffect, useRef } from "react";

interface PasskeyAutofillOptions {
  /**
   * True while the page shows the `autocomplete="username webauthn"` field and nothing else
   * is under way; each time it turns true again, a new request (a fresh challenge) starts.
   */
  enabled: boolean;
  /** A usernameless challenge: `auth.passkeySigninOptions({})`. */
  options(): Promise<PublicKeyCredentialRequestOptionsJSON>;
  /** The passkey the person picked in the field's suggestions, to sign in with. */
  onResponse(response: AuthenticationResponseJSON): void;
}

/**
 * Conditional UI: the browser lists the site's passkeys among the email field's autofill
 * suggestions, and picking one signs in, with no button. Only where the browser supports it;
 * the request is cancelled when `enabled` turns false or the page leaves, and any other
 * ceremony (the "Sign in with a passkey" button) replaces it (WebAuthnAbortService).
 *
 * @example usePasskeyAutofill({ enabled: !busy, options: () => session.passkeySigninOptions(), onResponse: flow.signInWithPasskey });
 */
export function usePasskeyAutofill({ enabled, options, onResponse }: PasskeyAutofillOptions): void {
  // Read when needed, so new callbacks on each render do not restart the request.
  const latest = useRef({ options, onResponse });
  latest.current = { options, onResponse };

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let settled = false;
    const offer = async () => {
      if (!(await browserSupportsWebAuthnAutofill()) || !live) return;
      const optionsJSON = await latest.current.options();
      if (!live) return;
      const response = await startAuthentication({ optionsJSON, useBrowserAutofill: true });
      if (live) latest.current.onResponse(response);
    };
    // An offer, not a step: when it ends without a passkey (aborted, unsupported, the API
    // unreachable), the password form is still there, so nothing is shown.
    void offer()
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    return () => {
      live = false;
      // Only our own request: once another ceremony replaced it, cancelling would end that one.
      if (!settled) WebAuthnAbortService.cancelCeremony();
    };
  }, [enabled]);
}
