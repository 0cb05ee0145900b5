import { expect, type Page, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { withoutSessionEvents } from "../support/session-events.ts";
import { registerThroughAPI, trpcError } from "../support/trpc-responses.ts";

const REFRESH = (url: URL) => url.pathname === "/api/trpc/auth.refresh";

async function expectSignedOut(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("banner").getByRole("link", { name: "Create account" })).toBeVisible();
}

test("a sign-out is not undone by another tab's refresh that was already under way", async ({ context }) => {
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);

  // The second tab's refresh reaches the server, but its answer is held back until after the click.
  const second = await context.newPage();
  let reachedServer: () => void = () => {};
  const reached = new Promise<void>((resolve) => (reachedServer = resolve));
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await second.route(REFRESH, async (route) => {
    const response = await route.fetch();
    reachedServer();
    await released;
    await route.fulfill({ response });
  });
  await second.goto("/account");
  await reached;

  const visited: string[] = [];
  first.on("framenavigated", (frame) => {
    if (frame === first.mainFrame()) visited.push(new URL(frame.url()).pathname);
  });
  await first.getByRole("button", { name: "Sign out", exact: true }).click();
  // The sign-out now waits for the refresh lock the second tab holds: the late token comes after the click.
  await expect.poll(() => first.evaluate(async () => (await navigator.locks.query()).pending?.length ?? 0)).toBeGreaterThan(0);
  const delivered = second.waitForEvent("requestfinished", (request) => REFRESH(new URL(request.url())));
  release();

  for (const page of [first, second]) await expectSignedOut(page);
  // The late token has been delivered to the second tab: still signed out, in both.
  await delivered;
  for (const page of [first, second]) await expectSignedOut(page);
  // Not even for a moment: the late token must not take the signed-out tab back to /account.
  expect(visited.filter((path) => path !== "/signin")).toEqual([]);
});

test("a user switch in another tab drops the cached data: Alice's profile never shows under Bob's token", async ({
  context,
  request,
}) => {
  // Without the live stream: it refreshes an idle tab as its 5-second token expires, and Alice's
  // tab broadcasting a fresh token while the second tab sits on /signin signed that tab in as
  // Alice before it could sign in as Bob (a race this test lost now and then). Tabs still share
  // tokens on the BroadcastChannel, which is what is under test.
  await withoutSessionEvents(context);
  const alice = newUser();
  const bob = newUser();
  await registerThroughAPI(request, bob);
  const first = await context.newPage();
  await registerThroughUI(first, alice);

  // A second tab that found no session (as if the cookie had gone) signs in as Bob.
  const second = await context.newPage();
  await second.route(REFRESH, (route) => route.fulfill(trpcError(401, "TOKEN_INVALID")), { times: 1 });
  await submitSignin(second, bob.email, bob.password);
  await expectOnAccount(second, bob);

  // The first tab follows the shared session: Bob's, with Bob's data only.
  await expect(first.getByRole("heading", { level: 1 })).toHaveText(bob.name, { timeout: 3_000 });
  await expect(first.getByTestId("profile-email")).toHaveText(bob.email);
  await expect(first.getByText(alice.email)).toHaveCount(0);
});

test("a session revoked elsewhere is announced: every tab signs out, not just the one that noticed", async ({
  context,
  browser,
}) => {
  // Without the live stream, which would tell each tab itself (live-sign-out.spec.ts): here only
  // one tab's call finds out, and the announcement must carry it to the other.
  await withoutSessionEvents(context);
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  const second = await context.newPage();
  await second.goto("/account");
  await expectOnAccount(second, user);

  // Another device signs out everywhere.
  const device = await browser.newContext();
  const other = await device.newPage();
  await submitSignin(other, user.email, user.password);
  await expectOnAccount(other, user);
  await other.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(other).toHaveURL(/\/signin$/);
  await device.close();

  // Only the first tab makes a call; both hear the session is over.
  await first.getByRole("button", { name: "Refresh" }).click();
  // The second tab first: it made no call, so only the announcement can have signed it out.
  for (const page of [second, first]) {
    await expectSignedOut(page);
    await expect(formAlert(page)).toHaveText("Your session has ended. Please sign in again.");
  }
});
