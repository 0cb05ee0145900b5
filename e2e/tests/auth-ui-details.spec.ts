import { expect, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { holdRoute } from "../support/held-route.ts";
import { newUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";
import { registerThroughAPI } from "../support/trpc-responses.ts";

const REFRESH = (url: URL) => url.pathname === "/api/trpc/auth.refresh";

test("a signed-in visitor opening /signin is never shown the sign-in form", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  // Notes whether a password field was ever in the document, from the first byte of HTML on.
  await page.addInitScript(() => {
    const flag = window as unknown as { sawPasswordField: boolean };
    flag.sawPasswordField = false;
    new MutationObserver(() => {
      if (document.querySelector('form[action="/signin"] input[type="password"]')) flag.sawPasswordField = true;
    }).observe(document, { childList: true, subtree: true });
  });
  const refresh = await holdRoute(page, REFRESH);
  await page.goto("/signin");
  await refresh.reached;
  await expect(page.getByRole("status").filter({ hasText: "Checking your session…" })).toBeVisible();
  refresh.release();
  await expectOnAccount(page, user);
  expect(await page.evaluate(() => (window as unknown as { sawPasswordField: boolean }).sawPasswordField)).toBe(false);
});

test("a sign-in navigates once, and the button stays disabled until the account page shows", async ({ page, request }) => {
  const user = newUser();
  await registerThroughAPI(request, user);
  const calls = recordProcedureCalls(page);
  await page.goto("/signin");
  const entries = await page.evaluate(() => history.length);
  // Hold the way to /account, so the moment between success and arrival stays open.
  const arrival = await holdRoute(page, (url) => url.pathname === "/account");

  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  const button = page.getByRole("button", { name: "Sign in", exact: true });
  const signedIn = page.waitForResponse((response) => response.url().includes("auth.signin"));
  await button.click();
  await signedIn;
  await arrival.reached;
  // Now, not eventually: the window between the answer and the new page is the one that matters.
  expect(await button.isDisabled()).toBe(true);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  arrival.release();

  await expectOnAccount(page, user);
  expect(calls.filter((call) => call.procedure === "auth.signin")).toHaveLength(1);
  // One navigation, replacing /signin: no second history entry from a push before the replace.
  expect(await page.evaluate(() => history.length)).toBe(entries);
});

test("deleting the account shows progress, then a confirmation", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  const deletion = await holdRoute(page, (url) => url.pathname.startsWith("/api/trpc/account.delete"));
  await page.getByRole("button", { name: "Delete account…" }).click();
  await page.getByLabel("Confirm with your password").fill(user.password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await deletion.reached;
  await expect(page.getByRole("status").filter({ hasText: "Deleting your account" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete my account" })).toBeDisabled();
  deletion.release();

  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Your account has been deleted.");
});

test("password managers get the username: sign-in's email field and a hidden one beside change password", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  const changeForm = page.locator("form").filter({ has: page.getByLabel("New password") });
  const username = changeForm.locator('input[autocomplete="username"]');
  await expect(username).toHaveValue(user.email);
  await expect(username).toBeHidden();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  // "webauthn" last: the browser offers the site's passkeys among the same suggestions.
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("autocomplete", "username webauthn");
});

test("the landing page states the configured access-token lifetime", async ({ page }) => {
  await page.goto("/");
  // The e2e server runs with AUTH_TOKEN_TTL=5.
  await expect(page.getByText("Signed JWTs that expire after 5 seconds")).toBeVisible();
});
