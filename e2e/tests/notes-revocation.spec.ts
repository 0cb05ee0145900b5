import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
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

    // The phone's notes card, with the same (unexpired) token, now says the session has ended.
    const refused = phonePage.waitForResponse((response) => response.url() === NOTES() && response.request().method() === "GET");
    await notesCard(phonePage).getByRole("button", { name: "Reload notes" }).click();
    const answer = await refused;
    expect(answer.status()).toBe(401);
    expect(await answer.json()).toMatchObject({ error: { data: { authCode: "SESSION_REVOKED" } } });
    await expect(notesCard(phonePage).getByRole("alert")).toHaveText("Your session has ended. Please sign in again.");
  } finally {
    await laptop.close();
    await phone.close();
  }
});
