import type { BrowserContext, Page, Route } from "@playwright/test";

/** Requests to a route, held until the test lets them through. */
export interface HeldRoute {
  /** Resolves when the first matching request has been caught. */
  reached: Promise<void>;
  /** Lets every held request (and every later one) through. */
  release(): void;
}

/**
 * Holds matching requests until `release()`: a pending state (a spinner, a disabled button)
 * stays open exactly as long as the test needs to look at it, however slow the machine, where a
 * fixed delay in the route was either too short under load or wasted time on a quiet machine.
 * With `afterServer`, the request reaches the server first and only its answer is held.
 *
 * @example const held = await holdRoute(page, (url) => url.pathname === "/account"); ...; held.release();
 */
export async function holdRoute(
  target: Page | BrowserContext,
  matches: (url: URL) => boolean,
  options: { afterServer?: boolean } = {},
): Promise<HeldRoute> {
  let reach: () => void = () => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await target.route(matches, async (route: Route) => {
    if (options.afterServer) {
      const response = await route.fetch();
      reach();
      await released;
      await route.fulfill({ response });
      return;
    }
    reach();
    await released;
    await route.continue();
  });
  return { reached, release };
}
