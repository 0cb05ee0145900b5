import { expect, test } from "@playwright/test";
import { registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";

test("signing out ends the session: /account then redirects to /signin", async ({ page, context }) => {
  await registerThroughUI(page, newUser());
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The refresh cookie went with it, so a fresh load cannot restore the session either.
  const cookies = await context.cookies();
  expect(cookies.find((cookie) => cookie.name === "bk_refresh")).toBeUndefined();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
});

test("signing out with an expired access token still signs out: the refresh it needs cannot wait on itself", async ({ page, request }) => {
  const tokens = watchAccessTokens(page);
  await registerThroughUI(page, newUser());
  // Past the 5 s token lifetime: the logout call is answered TOKEN_EXPIRED, refreshes, retries.
  await tokens.expired(request);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin$/);
});
