"use client";

import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * Whether this browser can use passkeys at all; false in the server's HTML and until hydration,
 * so a passkey button never shows on a page whose script has not run.
 *
 * @example const supported = usePasskeySupport(); {supported ? <button>Sign in with a passkey</button> : null}
 */
export function usePasskeySupport(): boolean {
  return useSyncExternalStore(subscribe, browserSupportsWebAuthn, () => false);
}
