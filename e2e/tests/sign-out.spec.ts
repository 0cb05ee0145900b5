import { expect, test } from "@playwright/test";
import { registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

test("signing out ends the session: /account then redirects to /signin", async ({ page, context }) => {
  await registerThroughUI(page, newUser());
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The refresh cookie went with it, so a fresh load cannot restore the session either.
  const cookies = await context.cookies();
  expect(cookies.find((cookie) => cookie.name === "bk_refresh")).toBeUndefined();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("signing out with an expired access token still signs out: the refresh it needs cannot wait on itself", async ({ page }) => {
  await registerThroughUI(page, newUser());
  // Past the 5 s token lifetime: the logout call is answered TOKEN_EXPIRED, refreshes, retries.
  await page.waitForTimeout(6_500);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin$/);
});
