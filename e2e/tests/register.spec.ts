import { expect, test } from "@playwright/test";
import { formAlert, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

test("a new account lands on /account showing its name, email and token expiry", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(page.getByText(/Token expires at \d{1,2}:\d{2}:\d{2}/)).toBeVisible();
});

test("registering an email twice shows an alert", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  await page.goto("/register");
  await page.getByLabel("Name", { exact: true }).fill("Someone Else");
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill("another long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(formAlert(page)).toContainText("already exists");
  await expect(page).toHaveURL(/\/register$/);
});
