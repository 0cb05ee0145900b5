import { expect, type Page, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI } from "../support/auth-flows.ts";
import { watchCSPViolations } from "../support/csp-violations.ts";
import { newUser } from "../support/new-user.ts";
import { notesServer } from "../support/servers.ts";
import { withoutSessionEvents } from "../support/session-events.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";

// The e2e server issues 5-second access tokens with no leeway, and so does notes (playwright.config.ts).

const notesCard = (page: Page) => page.getByRole("region", { name: "Notes" });
const noteItems = (page: Page) => notesCard(page).getByRole("list", { name: "Notes" }).getByRole("listitem");

async function addNoteThroughUI(page: Page, text: string): Promise<void> {
  await notesCard(page).getByLabel("New note").fill(text);
  await notesCard(page).getByRole("button", { name: "Add note" }).click();
}

/** Every request to the notes service, with its answer's status once it comes. */
function recordNotesCalls(page: Page): { method: string; status: number }[] {
  const calls: { method: string; status: number }[] = [];
  page.on("response", (response) => {
    const request = response.request();
    if (request.url().startsWith(`${notesServer().url}/notes`) && request.method() !== "OPTIONS") {
      calls.push({ method: request.method(), status: response.status() });
    }
  });
  return calls;
}

test("a note added on /account is still there after a reload, and only its user sees it", async ({ page, browser }) => {
  const problems = await watchCSPViolations(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(notesCard(page).getByText("No notes yet.")).toBeVisible();

  const text = `Remember the milk ${user.email}`;
  await addNoteThroughUI(page, text);
  await expect(noteItems(page)).toHaveCount(1);
  await expect(noteItems(page).first()).toContainText(text);

  await page.reload();
  await expectOnAccount(page, user);
  await expect(noteItems(page)).toHaveCount(1);
  await expect(noteItems(page).first()).toContainText(text);
  expect(problems).toEqual([]);

  // Another account, in its own browser context (no shared cookie): an empty list.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  const otherUser = newUser();
  await registerThroughUI(otherPage, otherUser);
  await expect(notesCard(otherPage).getByText("No notes yet.")).toBeVisible();
  await expect(otherPage.getByText(text)).toHaveCount(0);
  await other.close();
});

test("an expired access token is refreshed once and the note still saved", async ({ page, request }) => {
  // The live sign-out stream would refresh the idle tab's token as it expires; this is the notes call's own path.
  await withoutSessionEvents(page);
  const tokens = watchAccessTokens(page);
  const problems = await watchCSPViolations(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(notesCard(page).getByText("No notes yet.")).toBeVisible();

  const refreshes: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.includes("auth.refresh")) refreshes.push(request.url());
  });
  const notesCalls = recordNotesCalls(page);
  await tokens.expired(request);

  await addNoteThroughUI(page, "Written with an expired token");
  await expect(noteItems(page).first()).toContainText("Written with an expired token");
  await expect(notesCard(page).getByTestId("notes-status")).toHaveText(
    "Your access token had expired; it was refreshed and the note saved.",
  );
  // The notes service refused the expired token, the app refreshed once, and the retry was stored.
  expect(notesCalls).toEqual([
    { method: "POST", status: 401 },
    { method: "POST", status: 201 },
  ]);
  expect(refreshes).toHaveLength(1);
  await expectOnAccount(page, user);
  expect(problems).toEqual([]);
});

test("an unreachable notes service is an alert in the card, not a sign-out", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(notesCard(page).getByText("No notes yet.")).toBeVisible();

  await page.route(`${notesServer().url}/notes`, (route) => route.abort("connectionrefused"));
  await addNoteThroughUI(page, "Nowhere to go");
  await expect(formAlert(page)).toHaveText(
    "Can't reach the notes service right now. You are still signed in; please try again in a moment.",
  );
  await expectOnAccount(page, user);
});
