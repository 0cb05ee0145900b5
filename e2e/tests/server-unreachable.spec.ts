import { expect, type Page, type Route, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";

// The refresh cookie and the session are fine in every test here; only the way to the server is
// not. None of that is a sign-out.
const REFRESH = (url: URL) => url.pathname === "/api/trpc/auth.refresh";

const unavailable = {
  status: 503,
  contentType: "application/json",
  body: JSON.stringify({ error: { message: "unavailable", code: -32603, data: { code: "SERVICE_UNAVAILABLE", httpStatus: 503 } } }),
};

const failures: [string, (route: Route) => Promise<void>][] = [
  ["the network fails", (route) => route.abort("internetdisconnected")],
  ["the server answers 503", (route) => route.fulfill(unavailable)],
];

/** Fails every refresh of `page` the way `fail` does while `blocked()`; returns when each was tried. */
async function blockRefresh(page: Page, fail: (route: Route) => Promise<void>, blocked: () => boolean): Promise<number[]> {
  const attempts: number[] = [];
  await page.route(REFRESH, (route) => {
    if (!blocked()) return route.continue();
    attempts.push(Date.now());
    return fail(route);
  });
  return attempts;
}

for (const [label, fail] of failures) {
  test(`on load, when ${label}, /account stays put, says so, retries with backoff and recovers`, async ({ page }) => {
    const user = newUser();
    await registerThroughUI(page, user);
    let blocked = true;
    const attempts = await blockRefresh(page, fail, () => blocked);

    await page.reload();
    await expect(page.getByRole("heading", { name: "Can't reach the server" })).toBeVisible();
    await expect.poll(() => attempts.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect(page).toHaveURL(/\/account$/);
    const [first = 0, second = 0, third = 0] = attempts;
    // 1 s, then 2 s: backing off, not hammering.
    expect(second - first).toBeGreaterThanOrEqual(900);
    expect(third - second).toBeGreaterThanOrEqual(1_800);

    blocked = false;
    await page.getByRole("button", { name: "Retry now" }).click();
    await expectOnAccount(page, user);
  });
}

test("a refresh that fails for network reasons during a call does not say the session expired", async ({ page, request }) => {
  const tokens = watchAccessTokens(page);
  const user = newUser();
  await registerThroughUI(page, user);
  let blocked = true;
  await blockRefresh(page, (route) => route.abort("internetdisconnected"), () => blocked);

  await tokens.expired(request);
  await page.getByRole("button", { name: "Refresh" }).click();
  const alert = page.getByRole("main").getByRole("alert");
  await expect(alert).toHaveText("Can't reach the server. Check your connection and try again.");
  await expect(page.getByText(/session has expired/i)).toHaveCount(0);
  await expect(page).toHaveURL(/\/account$/);

  blocked = false;
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(alert).toHaveCount(0);
  await expectOnAccount(page, user);
});

test("a hung refresh times out, so it cannot hold the other tabs' refresh lock forever", async ({ context }) => {
  test.setTimeout(60_000);
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  // Never answered: the request hangs while this tab holds the cross-tab lock.
  await first.route(REFRESH, () => {});
  await first.reload();

  const second = await context.newPage();
  const started = Date.now();
  await second.goto("/account");
  await expect(second.getByRole("heading", { level: 1, name: user.name })).toBeVisible({ timeout: 25_000 });
  await expectOnAccount(second, user);
  // It waited for the first tab's refresh to give up (10 s), not for ever.
  expect(Date.now() - started).toBeLessThan(20_000);
  await expect(first.getByText(user.email, { exact: true })).toBeVisible();
});
