import type { AppRouter } from "@bearer-kit/api";
import { createTRPCClient, type TRPCLink } from "@trpc/client";
import { createDPoPFetch } from "./dpop/dpop-fetch.ts";
import { defaultDPoPKeyStore, type DPoPKeyStore } from "./dpop/dpop-key-store.ts";
import { createSessionEventsFollower } from "./events/follow-session-events.ts";
import { createSessionLinks } from "./links/session-links.ts";
import { createRefresher, type RefreshOutcome } from "./refresh/refresh-access-token.ts";
import { createRefreshLock, type SessionLocks } from "./refresh/refresh-lock.ts";
import { createRestorer } from "./refresh/restore-session.ts";
import { runSession } from "./run-session.ts";
import { onSessionEnd } from "./session/on-session-end.ts";
import { createSessionChannel } from "./session/session-channel.ts";
import { createSessionStore, type Session, type SignOutReason } from "./session/session-store.ts";
import { createSessionTransitions } from "./session/session-transitions.ts";
import { createPasskeySigninOptions } from "./sign-in/passkey-signin-options.ts";
import { createSignIn, type SignInOutcome } from "./sign-in/sign-in.ts";
import { createSignInWithPasskey, type PasskeySignInOutcome } from "./sign-in/sign-in-with-passkey.ts";
import { createVerifySecondFactor } from "./sign-in/verify-second-factor.ts";
import { createSignOut } from "./sign-out/sign-out.ts";
import { createRefreshClient } from "./transport/refresh-client.ts";
import type {
  AuthPayload,
  PasskeyAuthenticationResponse,
  PasskeyRequestOptions,
  SecondFactorInput,
  SessionRouter,
  SessionUser,
  SignInInput,
} from "./transport/router-types.ts";
import type { Transport } from "./transport/transport-headers.ts";

/** DPoP for the session; see `SessionClientOptions.dpop`. */
export interface DPoPOptions {
  /**
   * Where the key lives. Default: IndexedDB database `<name>-dpop` in a browser (shared by tabs,
   * kept across reloads), this process's memory elsewhere.
   */
  keys?: DPoPKeyStore;
}

export interface SessionClientOptions {
  /** The tRPC endpoint: `/api/trpc` on the page's own origin, or an absolute URL. */
  url: string;
  /**
   * The fetch for every request. Default: the global one, which in a browser sends and keeps the
   * httpOnly refresh cookie. Elsewhere (Node, tests) pass one that keeps cookies.
   */
  fetch?: typeof globalThis.fetch;
  /**
   * Names the cross-tab lock and channel (`<name>-refresh`, `<name>-session`). Default `bk`.
   * Two sessions on one origin (two APIs) need two names.
   */
  name?: string;
  /** The Web Locks that keep tabs from refreshing at once. Default `navigator.locks`. */
  locks?: SessionLocks;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449), for a server that supports them: every request,
   * the refresh and the event stream included, carries a proof signed by a non-extractable key
   * of this browser, so the server binds the session to that key and a copied token or cookie
   * is useless elsewhere. Sign-out deletes the key. Off by default.
   */
  dpop?: DPoPOptions;
}

/** The session without its tRPC links: what the React bindings hold, whatever the router. */
export interface SessionControls {
  /** The current session; `subscribe` hears every change. */
  getSession(): Session;
  /** What a server render sees: always `restoring`, as only the browser knows the session. */
  getServerSnapshot(): Session;
  subscribe(listener: () => void): () => void;
  /** The access token, held in memory only, or `null` when signed out. */
  getAccessToken(): string | null;
  /**
   * Calls another service that trusts this session's tokens (the demo's notes service, say):
   * `fetch` with `token` (default the current one) under the scheme the server issued it, so a
   * DPoP-bound token goes as `Authorization: DPoP` with a proof for this method and URL, signed
   * by the session's key. Rejects when signed out and no token is given.
   *
   * @example const response = await sessionClient.fetchWithToken("https://notes.example/notes", { method: "GET" });
   */
  fetchWithToken(input: string | URL, init?: RequestInit, token?: string): Promise<Response>;
  /**
   * A fresh access token through the refresh cookie, shared by every caller in every tab.
   * `staleToken` is the token a call was refused with (`null` on load).
   */
  refreshAccessToken(staleToken: string | null): Promise<RefreshOutcome>;
  /**
   * `auth.signin`: `signed-in`, or a `second-factor` challenge `{ mfaToken, methods }` for an
   * account with two-step verification; `null` if a sign-out raced it. Rejects with the tRPC
   * error (`readAuthError` reads it).
   */
  signIn(input: SignInInput): Promise<SignInOutcome | null>;
  /**
   * `auth.passkeySigninOptions`: a challenge for `startAuthentication` (@simplewebauthn/browser).
   * Without `mfaToken`, any passkey of the site answers it (`signInWithPasskey`, autofill); with
   * the `mfaToken` of a second step, only that account's passkeys (`verifySecondFactor`).
   */
  passkeySigninOptions(input?: { mfaToken?: string }): Promise<PasskeyRequestOptions>;
  /**
   * `auth.signinWithPasskey`: signs in with a passkey's answer to `passkeySigninOptions()` and
   * holds the session, as `signIn` does; never a second step. `null` if a sign-out raced it.
   * Rejects with the tRPC error (`PASSKEY_INVALID` for any refused answer).
   */
  signInWithPasskey(response: PasskeyAuthenticationResponse): Promise<PasskeySignInOutcome | null>;
  /**
   * `auth.verifySecondFactor`: answers a challenge from `signIn` or `auth.resetPassword` with a
   * `code`, a `recoveryCode` or a `passkey` (its answer to `passkeySigninOptions({ mfaToken })`),
   * and holds the session it opens. Rejects with the tRPC error.
   */
  verifySecondFactor(input: SecondFactorInput): Promise<SessionUser | null>;
  /** Ends this session, in every tab of this browser. */
  signOut(): Promise<void>;
  /** Ends every session of the account, on every device. */
  signOutEverywhere(): Promise<void>;
  /**
   * Holds the tokens of another call that answers them (`auth.register`, `auth.resetPassword`).
   * `startedAt` is when that call left; false when the session ended after that.
   */
  startSession(payload: AuthPayload, options: { startedAt: number }): boolean;
  /** Forgets the session in every tab, after the server ended it by other means (account deleted). */
  endSession(options: { reason: SignOutReason | null }): void;
  /** Calls `listener` each time a signed-in session ends, with the reason to show. */
  onSessionEnd(listener: (reason: SignOutReason | null) => void): () => void;
  /** Ends the wait between two restore attempts while the server is unreachable ("Retry now"). */
  retryRestoreNow(): void;
  /** Restores the session and follows it (other tabs, expiry, the server's events); returns the stop. */
  start(): () => void;
}

/** One tab's session against a router that includes bearer-kit's `auth` procedures. */
export interface SessionClient<TRouter extends SessionRouter> extends SessionControls {
  /** Links for the app's own tRPC client: calls carry the token and survive its expiry. */
  links: TRPCLink<TRouter>[];
}

/**
 * The browser session of one tab: the access token in memory, the refresh cookie, single-flight
 * refresh across tabs, live sign-out and tRPC links. Framework-free; `<SessionProvider>` runs it
 * for React.
 *
 * @example
 * const session = createSessionClient<AppRouter>({ url: "/api/trpc" });
 * const trpc = createTRPCClient<AppRouter>({ links: session.links });
 * const stop = session.start();
 */
export function createSessionClient<TRouter extends SessionRouter = AppRouter>(options: SessionClientOptions): SessionClient<TRouter> {
  const chosenFetch = options.fetch;
  // Looked up per call, and called unbound: a browser refuses a fetch called as a method of another object.
  const baseFetch: typeof globalThis.fetch = (input, init) => (chosenFetch ?? globalThis.fetch)(input, init);
  const name = options.name ?? "bk";
  const dpop = options.dpop ? createDPoPFetch({ fetch: baseFetch, keys: options.dpop.keys ?? defaultDPoPKeyStore(`${name}-dpop`) }) : null;
  const transport: Transport = { url: options.url, fetch: dpop?.fetch ?? baseFetch };
  const store = createSessionStore();
  // Another tab's sign-out deleted the key: read the store again before the next proof.
  if (dpop) {
    store.subscribe(() => {
      if (store.get().status === "signed-out") dpop.reload();
    });
  }
  const channel = createSessionChannel(`${name}-session`);
  const lock = createRefreshLock({ name: `${name}-refresh`, locks: options.locks });
  const transitions = createSessionTransitions({ store, channel });
  const refreshAccessToken = createRefresher({ store, lock, transitions, refreshClient: createRefreshClient(transport) });
  const restorer = createRestorer({ store, refreshAccessToken });
  const linkParts = { transport, store, transitions, refreshAccessToken };
  // The session's own calls (sign-in, logout) go through the same links as the app's.
  const client = createTRPCClient<AppRouter>({ links: createSessionLinks(linkParts) });
  const signOut = createSignOut({ client, lock, transitions, forgetKey: dpop?.forgetKey });
  const follow = createSessionEventsFollower({ transport, store, lock, transitions, refreshAccessToken, isSigningOut: signOut.isSigningOut });

  return {
    links: createSessionLinks(linkParts),
    getSession: store.get,
    getServerSnapshot: store.getServerSnapshot,
    subscribe: store.subscribe,
    getAccessToken: store.accessToken,
    fetchWithToken(input, init = {}, token = store.accessToken() ?? undefined) {
      if (token === undefined) return Promise.reject(new Error("fetchWithToken: signed out, and no token given"));
      const headers = new Headers(init.headers);
      headers.set("authorization", `${store.tokenType()} ${token}`);
      // The DPoP fetch signs a proof (with `ath`) for a DPoP token and leaves a Bearer one as it is.
      return transport.fetch(input, { ...init, headers });
    },
    refreshAccessToken,
    signIn: createSignIn({ client, transitions }),
    passkeySigninOptions: createPasskeySigninOptions({ client }),
    signInWithPasskey: createSignInWithPasskey({ client, transitions }),
    verifySecondFactor: createVerifySecondFactor({ client, transitions }),
    signOut: () => signOut.signOut({ everywhere: false }),
    signOutEverywhere: () => signOut.signOut({ everywhere: true }),
    startSession: transitions.startSession,
    endSession: ({ reason }) => transitions.endSession({ broadcast: true, reason }),
    onSessionEnd: (listener) => onSessionEnd(store, listener),
    retryRestoreNow: restorer.retryNow,
    start: () => runSession({ store, channel, transitions, restorer, refreshAccessToken, follow }),
  };
}
