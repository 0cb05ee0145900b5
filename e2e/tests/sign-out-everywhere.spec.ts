import { type Browser, expect, type Page, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";
import { withoutSessionEvents } from "../support/session-events.ts";

/**
 * One user signed in on a laptop and a phone (two browser contexts); the laptop lists both
 * sessions. The phone has no live sign-out stream: these specs cover how a device learns of its
 * end from its own calls (live-sign-out.spec.ts covers the stream).
 */
async function withTwoDevices(browser: Browser, run: (laptop: Page, phone: Page) => Promise<void>): Promise<void> {
  const user = newUser();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  await withoutSessionEvents(phone);
  try {
    const laptopPage = await laptop.newPage();
    await registerThroughUI(laptopPage, user);
    const phonePage = await phone.newPage();
    await submitSignin(phonePage, user.email, user.password);
    await expectOnAccount(phonePage, user);
    await laptopPage.getByRole("button", { name: "Refresh" }).click();
    await expect(laptopPage.getByTestId("session-row")).toHaveCount(2);
    await run(laptopPage, phonePage);
  } finally {
    await laptop.close();
    await phone.close();
  }
}

test("'Sign out everywhere' in one browser ends the session in another", async ({ browser }) => {
  await withTwoDevices(browser, async (laptopPage, phonePage) => {
    await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(laptopPage).toHaveURL(/\/signin$/);

    // The phone's next protected call fails with SESSION_REVOKED and sends it to /signin; or,
    // if its 5-second token expired meanwhile, the refresh that call needs does.
    const phoneCalls = recordProcedureCalls(phonePage);
    await phonePage.getByRole("button", { name: "Refresh" }).click();
    await expect(phonePage).toHaveURL(/\/signin$/);
    const SIGNALS = new Set(["account.sessions", "auth.refresh"]);
    await expect
      .poll(() => phoneCalls.find((call) => SIGNALS.has(call.procedure) && call.authCode !== "TOKEN_EXPIRED")?.authCode)
      .toBe("SESSION_REVOKED");

    // Nor can a reload bring it back: its refresh token was revoked with the session.
    await phonePage.goto("/account");
    await expect(phonePage).toHaveURL(/\/signin$/);
  });
});

test("revoking another session from the list signs that device out", async ({ browser }) => {
  await withTwoDevices(browser, async (laptopPage, phonePage) => {
    await laptopPage.getByRole("button", { name: "Revoke" }).click();
    await expect(laptopPage.getByTestId("session-row")).toHaveCount(1);
    await expect(laptopPage.getByText("This device")).toBeVisible();

    await phonePage.reload();
    await expect(phonePage).toHaveURL(/\/signin$/);
  });
});
