import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser, type TestUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";
import { logTokens, openStreams, SESSION_EVENTS, urlsCarryingTokens } from "../support/session-events.ts";

const NOTICE = "You were signed out from another device.";
// The bound: a revoked tab leaves /account within a second of the revocation.
const LIVE_SIGN_OUT_MS = 1_000;

/** One user on a laptop and a phone (two browser contexts, two sessions), both on /account. */
async function withTwoDevices(browser: Browser, run: (laptop: Page, phone: Page, user: TestUser) => Promise<void>): Promise<void> {
  const user = newUser();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  try {
    const laptopPage = await laptop.newPage();
    await registerThroughUI(laptopPage, user);
    const phonePage = await phone.newPage();
    await submitSignin(phonePage, user.email, user.password);
    await expectOnAccount(phonePage, user);
    await run(laptopPage, phonePage, user);
  } finally {
    await laptop.close();
    await phone.close();
  }
}

/**
 * Waits for `page` to leave /account on its own once `act` on `other` revokes its session, and
 * returns how long after the revoking call (`call`) was answered that took. `page` makes no call.
 */
async function leavesOnItsOwn(page: Page, revoke: { other: Page; call: RegExp; act: () => Promise<void> }): Promise<number> {
  const calls = recordProcedureCalls(page);
  // Revoke just after the page opened a fresh stream. The e2e server's tokens live 5 seconds
  // and each stream ends with its token; a revocation in the moment between two streams is
  // learnt from the next refresh or subscription instead (a 401, the same notice).
  await page.waitForResponse((response) => SESSION_EVENTS(new URL(response.url())));
  const answered = revoke.other.waitForResponse((response) => revoke.call.test(response.url()));
  await revoke.act();
  await answered;
  const revokedAt = Date.now();
  await page.waitForURL(/\/signin$/);
  const elapsed = Date.now() - revokedAt;
  test.info().annotations.push({ type: "left /account after (ms)", description: String(elapsed) });
  await expect(formAlert(page)).toHaveText(NOTICE);
  // No call of its own told it: only the stream did.
  expect(calls.filter((call) => call.procedure !== "auth.sessionEvents" && call.status === 401)).toEqual([]);
  return elapsed;
}

test("'Sign out everywhere' on one device sends the other to /signin at once, with no token in any URL", async ({ browser }) => {
  await withTwoDevices(browser, async (laptop, phone) => {
    const logs = [logTokens(laptop), logTokens(phone)];
    const streams: string[] = [];
    phone.on("request", (request) => {
      if (SESSION_EVENTS(new URL(request.url()))) streams.push(request.headers().authorization ?? "");
    });
    // A stream is open before the revocation: the page subscribes as soon as it holds a token.
    await expect.poll(() => streams.length).toBeGreaterThan(0);

    const elapsed = await leavesOnItsOwn(phone, {
      other: laptop,
      call: /auth\.logout/,
      act: () => laptop.getByRole("button", { name: "Sign out everywhere" }).click(),
    });
    expect(elapsed).toBeLessThanOrEqual(LIVE_SIGN_OUT_MS);
    await expect(laptop).toHaveURL(/\/signin$/);
    // The laptop signed itself out: no notice there.
    await expect(formAlert(laptop)).toHaveCount(0);

    // The stream carried the token in its Authorization header (DPoP-bound: the demo runs on
    // DPoP); no URL ever carried one.
    expect(streams.every((header) => /^DPoP [\w-]+\.[\w-]+\.[\w-]+$/.test(header))).toBe(true);
    for (const log of logs) expect(log.tokens.size).toBeGreaterThan(0);
    expect(logs.flatMap(urlsCarryingTokens)).toEqual([]);

    // Nor can a reload bring the phone back: its refresh token died with the session.
    await phone.goto("/account");
    await expect(phone).toHaveURL(/\/signin$/);
  });
});

test("revoking a session from the list sends that device to /signin at once", async ({ browser }) => {
  await withTwoDevices(browser, async (laptop, phone) => {
    await laptop.getByRole("button", { name: "Refresh" }).click();
    await expect(laptop.getByTestId("session-row")).toHaveCount(2);
    const elapsed = await leavesOnItsOwn(phone, {
      other: laptop,
      call: /account\.revokeSession/,
      act: () => laptop.getByRole("button", { name: "Revoke" }).click(),
    });
    expect(elapsed).toBeLessThanOrEqual(LIVE_SIGN_OUT_MS);
    // The laptop's own session lives on.
    await expect(laptop.getByTestId("session-row")).toHaveCount(1);
    await expect(laptop).toHaveURL(/\/account$/);
  });
});

test("a password change on one device sends the other to /signin at once", async ({ browser }) => {
  await withTwoDevices(browser, async (laptop, phone, user) => {
    const elapsed = await leavesOnItsOwn(phone, {
      other: laptop,
      call: /account\.changePassword/,
      act: async () => {
        // Scoped to its card: the change-email card asks for the current password too.
        const card = laptop.getByRole("region", { name: "Change password" });
        await card.getByLabel("Current password", { exact: true }).fill(user.password);
        await card.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
        await card.getByRole("button", { name: "Change password" }).click();
      },
    });
    expect(elapsed).toBeLessThanOrEqual(LIVE_SIGN_OUT_MS);
    await expect(laptop.getByRole("status")).toHaveText("Password changed. Your other sessions were signed out.");
    await expectOnAccount(laptop, user);
  });
});

test("two tabs of one session: signing out in one signs the other out too, with no notice", async ({ context }) => {
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  const second = await context.newPage();
  const streams = openStreams(second);
  await second.goto("/account");
  await expectOnAccount(second, user);
  await expect.poll(streams).toBeGreaterThan(0);

  await first.getByRole("button", { name: "Sign out", exact: true }).click();
  for (const page of [first, second]) await expect(page).toHaveURL(/\/signin$/);
  // A plain sign-out of this browser is no news from another device, in either tab, even once
  // the second tab's live stream has ended (its announcement, if any, came before the end).
  await expect.poll(streams).toBe(0);
  for (const page of [first, second]) {
    await expect(page).toHaveURL(/\/signin$/);
    await expect(formAlert(page)).toHaveCount(0);
  }
});
