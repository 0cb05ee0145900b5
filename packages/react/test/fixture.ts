import type { AppRouter } from "@bearer-kit/api";
import { createTRPCClient, type TRPCClient } from "@trpc/client";
import { afterAll, afterEach, beforeAll } from "vitest";
import {
  createSessionClient,
  type DPoPOptions,
  type SessionClient,
  type SessionUser,
  type SignInOutcome,
} from "../src/client.ts";
import type { Browser } from "./browser.ts";
import { type LiveApi, type LiveApiOptions, startLiveApi } from "./live-api.ts";

/** One tab: its session, and the app's tRPC client built on the session's links. */
export interface Tab {
  session: SessionClient<AppRouter>;
  trpc: TRPCClient<AppRouter>;
  /** Runs the session as `<SessionProvider>` does; stopped after the test. */
  start(): void;
}

export interface Fixture {
  api(): LiveApi;
  /** A tab of `browser`; `dpop` turns DPoP on for its session. */
  tab(browser: Browser, options?: { dpop?: DPoPOptions }): Tab;
}

/** A live API per test file, a clock reset after each test, and tabs that are stopped after it. */
export function useLiveApi(options?: LiveApiOptions): Fixture {
  let api: LiveApi | undefined;
  const stops: (() => void)[] = [];
  beforeAll(async () => {
    api = await startLiveApi(options);
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    api?.clock.reset();
  });
  afterAll(async () => {
    await api?.close();
  });
  const live = (): LiveApi => {
    if (!api) throw new Error("the live API starts in beforeAll");
    return api;
  };
  return {
    api: live,
    tab(browser, options) {
      const session = createSessionClient<AppRouter>({
        url: live().url,
        fetch: browser.fetch,
        locks: browser.locks,
        name: browser.name,
        dpop: options?.dpop,
      });
      return {
        session,
        trpc: createTRPCClient<AppRouter>({ links: session.links }),
        start: () => stops.push(session.start()),
      };
    },
  };
}

/** Past the default access-token lifetime (AUTH_TOKEN_TTL, one hour) and the verifier's 60 s leeway. */
export const EXPIRED_SECONDS = 3_700;

/** The user of a sign-in that opened a session; throws on a second step or a lost race. */
export function signedInUser(outcome: SignInOutcome | null): SessionUser {
  if (outcome?.status !== "signed-in") throw new Error(`expected a session, got ${outcome?.status ?? "null"}`);
  return outcome.user;
}
