import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { notesServer } from "../support/servers.ts";
import { withoutSessionEvents } from "../support/session-events.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";

// The notes service follows the web app's security-event feed (NOTES_RECEIVER_CREDENTIAL in
// playwright.config.ts): "Sign out everywhere" on one device reaches it within a second.
// Access tokens live 5 s here, so the phone's token is renewed just before the revocation: a
// token that merely expired would be refused too, for the wrong reason.

const notesCard = (page: Page) => page.getByRole("region", { name: "Notes" });
const NOTES = () => `${notesServer().url}/notes`;

/** The bearer token of the page's next successful notes call (after a refresh, if one was needed). */
async function nextAcceptedToken(page: Page, action: () => Promise<void>): Promise<string> {
  const answered = page.waitForResponse((response) => response.url() === NOTES() && response.request().method() === "GET" && response.status() === 200);
  await action();
  const response = await answered;
  return (await response.request().allHeaders())["authorization"]?.replace(/^Bearer /, "") ?? "";
}

/** The notes service's verdict on `token`: null when accepted, else its authCode. */
async function notesVerdict(request: APIRequestContext, token: string): Promise<string | null> {
  const response = await request.get(NOTES(), { headers: { authorization: `Bearer ${token}` } });
  if (response.ok()) return null;
  const body = (await response.json().catch(() => null)) as { error?: { data?: { authCode?: string } } } | null;
  return body?.error?.data?.authCode ?? `HTTP ${response.status()}`;
}

test("'Sign out everywhere' on one device: the notes service refuses the other device's token within 1 s", async ({ browser, request }) => {
  const user = newUser();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  // The phone hears nothing live: what it learns, it learns from the notes service.
  await withoutSessionEvents(phone);
  try {
    const laptopPage = await laptop.newPage();
    await registerThroughUI(laptopPage, user);
    const phonePage = await phone.newPage();
    const tokens = watchAccessTokens(phonePage);
    await submitSignin(phonePage, user.email, user.password);
    await expectOnAccount(phonePage, user);
    await expect(notesCard(phonePage).getByText("No notes yet.")).toBeVisible();

    // Let the phone's token expire, so "Reload notes" refreshes it: a token with 5 s ahead of it.
    await tokens.expired(request);
    const token = await nextAcceptedToken(phonePage, () => notesCard(phonePage).getByRole("button", { name: "Reload notes" }).click());
    expect(await notesVerdict(request, token)).toBeNull();

    // The laptop signs out everywhere; the clock starts when its logout has answered (committed).
    const loggedOut = laptopPage.waitForResponse((response) => new URL(response.url()).pathname === "/api/trpc/auth.logout");
    await laptopPage.getByRole("button", { name: "Sign out everywhere" }).click();
    expect((await loggedOut).ok()).toBe(true);
    const revokedAt = performance.now();
    let verdict = await notesVerdict(request, token);
    while (verdict === null && performance.now() - revokedAt < 1000) verdict = await notesVerdict(request, token);
    const elapsed = performance.now() - revokedAt;
    expect(verdict, `notes still accepted the token ${elapsed.toFixed(0)} ms after the revocation`).toBe("SESSION_REVOKED");
    expect(elapsed).toBeLessThanOrEqual(1000);

    // The phone's notes card, with the same (unexpired) token: refused, the refresh it tries is
    // refused too, and the phone lands on /signin saying why.
    const refused = phonePage.waitForResponse((response) => response.url() === NOTES() && response.request().method() === "GET");
    await notesCard(phonePage).getByRole("button", { name: "Reload notes" }).click();
    const answer = await refused;
    expect(answer.status()).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { data: { authCode: "SESSION_REVOKED" } } });
    await expect(phonePage).toHaveURL(/\/signin$/);
    await expect(formAlert(phonePage)).toHaveText("Your session has ended. Please sign in again.");

    // Back on the laptop, the activity card tells the story: both sessions ended by the
    // sign-out everywhere, the phone's sign-in, and the account's creation.
    await expect(laptopPage).toHaveURL(/\/signin$/);
    await submitSignin(laptopPage, user.email, user.password);
    await expectOnAccount(laptopPage, user);
    const activity = laptopPage.getByRole("list", { name: "Security activity" });
    await expect(activity.getByText("Signed out everywhere")).toHaveCount(2);
    await expect(activity.getByText("Signed in with your password")).toHaveCount(2);
    await expect(activity.getByText("Created the account and signed in")).toHaveCount(1);
  } finally {
    await laptop.close();
    await phone.close();
  }
});

test("changing the password keeps this device's notes working: a token older than the change is refreshed", async ({ page }) => {
  // No live stream: the notes call's own refresh is what is tested.
  await withoutSessionEvents(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(notesCard(page).getByText("No notes yet.")).toBeVisible();

  const card = page.getByRole("region", { name: "Change password" });
  await card.getByLabel("Current password").fill(user.password);
  await card.getByLabel("New password").fill(`${user.password} and more`);
  await card.getByRole("button", { name: "Change password" }).click();
  await expect(card.getByRole("status")).toHaveText("Password changed. Your other sessions were signed out.");

  // The credential-change event reaches notes within milliseconds, and notes then refuses this
  // device's token if it was issued in an earlier second; the card refreshes it and lists anyway.
  const listed = page.waitForResponse((response) => response.url() === NOTES() && response.request().method() === "GET" && response.status() === 200);
  await notesCard(page).getByRole("button", { name: "Reload notes" }).click();
  await listed;
  await expect(notesCard(page).getByText("No notes yet.")).toBeVisible();
  await expect(notesCard(page).getByRole("alert")).toHaveCount(0);
  await expect(page).toHaveURL(/\/account$/);
});
