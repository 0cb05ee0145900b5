/**
 * Sign-in throttling that an attacker cannot turn against the account's owner.
 *
 * Failed sign-ins are counted on three fixed-window counters (15 minutes by default):
 * - per account and address (5): the brake on guessing one password from one place;
 * - per address (100): the brake on one place spraying many accounts;
 * - per account (50), across every address: the brake on a distributed guess. An address the
 *   account signed in from successfully in the last 30 days is exempt from this one, so failures
 *   made elsewhere never lock the owner out where they usually sign in.
 *
 * Every attempt holds a place on each counter while in flight (a tRPC batch runs its calls
 * concurrently; counting only settled failures would let them all past). A success gives its
 * place back, so correct sign-ins never use up the failure budget: an attempt that finds the
 * budget taken by attempts still in flight waits for them to settle rather than being refused.
 */
import { AuthError } from "../errors.ts";
import { type CounterSpec, reserve, settle } from "./counters.ts";
import { throttleAddress } from "./throttle-address.ts";
import { createThrottleKeys } from "./throttle-keys.ts";
import type { AuthConfig } from "../config/options.ts";

/** How far back a successful sign-in makes an address "known" for the account. */
export const KNOWN_ADDRESS_DAYS = 30;
/** The longest an attempt waits for places held by attempts in flight. */
const MAX_WAIT_MS = 10_000;

export interface SigninSubject {
  email: string;
  ipAddress: string | null | undefined;
  /** The account, when the email has one: needed to recognise a known address. */
  userId: string | null;
}

/** One admitted attempt: settle it exactly once. */
export interface SigninAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** Neither outcome (the check itself failed): only give the places back. */
  abandon(): Promise<void>;
}

export interface SigninThrottle {
  /** Admits one attempt, waiting while attempts in flight hold the budget; throws `RATE_LIMITED`. */
  begin(subject: SigninSubject): Promise<SigninAttempt>;
  /**
   * Admits one second-factor code for the account (a sign-in's second step, or the code of a
   * sensitive change), on one counter per account of `mfaMaxFailuresPerAccount` per window,
   * whatever token, session or address the codes come from. A right code does not reset it:
   * only the window's end does, as for the account-wide password counter.
   */
  beginSecondFactor(userId: string): Promise<SigninAttempt>;
  /**
   * Admits one passkey sign-in from `ipAddress`, on the per-address counter password sign-ins
   * use: there is no password to guess, but a spray of forged assertions is still a spray.
   */
  beginPasskey(ipAddress: string | null | undefined): Promise<SigninAttempt>;
}

interface Deps {
  config: AuthConfig;
  /** The addresses the user signed in from since `since`, as stored on their sessions. */
  signinAddresses(userId: string, since: Date): Promise<string[]>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rateLimited(seconds: number): AuthError {
  return new AuthError("RATE_LIMITED", `Too many sign-in attempts. Try again in ${seconds} seconds.`, { retryAfter: seconds });
}

export function createSigninThrottle({ config, signinAddresses }: Deps): SigninThrottle {
  const keys = createThrottleKeys(config);
  const { maxFailures, maxFailuresPerAccount, maxPerIp, window, ipv6Prefix } = config.throttle;

  /**
   * Known by the same unit every counter uses: an IPv6 client's privacy address changes daily
   * (RFC 8981) within its /64, and the owner must stay exempt at home after it does. Whoever
   * shares that network gets the exemption too, but still only the 5 guesses of its pair counter.
   */
  async function signedInFrom(userId: string, ipAddress: string, since: Date): Promise<boolean> {
    const client = throttleAddress(ipAddress, ipv6Prefix);
    return (await signinAddresses(userId, since)).some((stored) => throttleAddress(stored, ipv6Prefix) === client);
  }

  async function counters({ email, ipAddress, userId }: SigninSubject): Promise<CounterSpec[]> {
    const specs: CounterSpec[] = [{ key: keys.pair(email, ipAddress ?? null), limit: maxFailures, window }];
    if (!ipAddress) return [...specs, { key: keys.account(email), limit: maxFailuresPerAccount, window }];
    specs.push({ key: keys.address(ipAddress), limit: maxPerIp, window });
    // Asked even for unknown emails (with no match possible), so the answer's timing says nothing.
    const since = new Date(config.now().getTime() - KNOWN_ADDRESS_DAYS * 86_400_000);
    const known = await signedInFrom(userId ?? "00000000-0000-0000-0000-000000000000", ipAddress, since);
    return known ? specs : [...specs, { key: keys.account(email), limit: maxFailuresPerAccount, window }];
  }

  /** Reserves a place on every counter of `specs`, waiting for attempts in flight; the attempt settles them all. */
  async function admit(specs: CounterSpec[], { resetOnSuccess }: { resetOnSuccess: string[] }): Promise<SigninAttempt> {
    const held = specs.map((spec) => spec.key);
    // Real time, not config.now: the wait is for other requests, which a pinned test clock would never see finish.
    const deadline = Date.now() + MAX_WAIT_MS;
    for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
      const reservation = await reserve(config.db, specs, config.now());
      if (reservation.kind === "blocked") throw rateLimited(reservation.retryAfter);
      if (reservation.kind === "admitted") break;
      if (Date.now() + delay > deadline) throw rateLimited(1);
      await pause(delay * (0.5 + Math.random()));
    }
    let settled = false;
    const once = (outcome: { failed?: string[]; reset?: string[] }) => {
      if (settled) return Promise.resolve();
      settled = true;
      return settle(config.db, { held, ...outcome });
    };
    return {
      succeeded: () => once({ reset: resetOnSuccess }),
      failed: () => once({ failed: held }),
      abandon: () => once({}),
    };
  }

  return {
    async begin(subject) {
      // A success forgets this address's failures for the account; the account-wide count
      // stays, or an attacker could reset it by owning any one address the owner uses.
      return admit(await counters(subject), { resetOnSuccess: [keys.pair(subject.email, subject.ipAddress ?? null)] });
    },

    beginSecondFactor(userId) {
      return admit([{ key: keys.secondFactor(userId), limit: config.throttle.mfaMaxFailuresPerAccount, window }], { resetOnSuccess: [] });
    },

    beginPasskey(ipAddress) {
      const counted = ipAddress ? [{ key: keys.address(ipAddress), limit: config.throttle.maxPerIp, window }] : [];
      return admit(counted, { resetOnSuccess: [] });
    },
  };
}
