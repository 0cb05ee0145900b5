"use client";

import { WebAuthnAbortService } from "@simplewebauthn/browser";
import { useCallback, useEffect, useRef, useState } from "react";
import { friendlyPasskeyMessage } from "../friendly-message.ts";

/** One button's passkey ceremony: whether it runs, and why the last one failed. */
export interface PasskeyCeremony {
  running: boolean;
  /** The last failure, in words; `null` after a success, an abort, or `clear()`. */
  failure: string | null;
  /**
   * Runs `ceremony` (the API's options, the browser's prompt, perhaps the API's answer) unless
   * one is running; resolves with its result, or `null` when it failed (then `failure` says why).
   */
  run<T>(ceremony: () => Promise<T>): Promise<T | null>;
  clear(): void;
}

/**
 * Runs a WebAuthn ceremony from a button, one at a time, and puts its failure in words
 * (`friendlyPasskeyMessage`, with `overrides` for the API's codes). A ceremony still open when
 * the component goes away is cancelled, so the browser's prompt does not outlive the page.
 *
 * @example
 * const passkey = usePasskeyCeremony();
 * const response = await passkey.run(async () => startAuthentication({ optionsJSON: await options() }));
 */
export function usePasskeyCeremony(overrides: Record<string, string> = {}): PasskeyCeremony {
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const active = useRef(false);
  const overridesRef = useRef(overrides);
  overridesRef.current = overrides;

  useEffect(
    () => () => {
      if (active.current) WebAuthnAbortService.cancelCeremony();
    },
    [],
  );

  const run = useCallback(async <T>(ceremony: () => Promise<T>): Promise<T | null> => {
    if (active.current) return null;
    active.current = true;
    setRunning(true);
    setFailure(null);
    try {
      return await ceremony();
    } catch (error) {
      setFailure(friendlyPasskeyMessage(error, overridesRef.current));
      return null;
    } finally {
      active.current = false;
      setRunning(false);
    }
  }, []);
  const clear = useCallback(() => setFailure(null), []);
  return { running, failure, run, clear };
}
