import { expect, type Locator, type Page } from "@playwright/test";
import type { TestUser } from "./new-user.ts";

/**
 * Registers through /register and waits for /account to show the new user.
 *
 * @example await registerThroughUI(page, newUser());
 */
export async function registerThroughUI(page: Page, user: TestUser): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expectOnAccount(page, user);
}

/**
 * Signs in through /signin (without asserting where it lands).
 *
 * @example await submitSignin(page, user.email, "wrong password");
 */
export async function submitSignin(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * Asserts the account page shows `user` and its sessions list, i.e. a protected call worked.
 *
 * @example await expectOnAccount(page, user);
 */
export async function expectOnAccount(page: Page, user: TestUser): Promise<void> {
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1, name: user.name })).toBeVisible();
  await expect(page.getByText(user.email, { exact: true })).toBeVisible();
  await expect(page.getByText("This device", { exact: true })).toBeVisible();
}

/**
 * The page's own error alert. Scoped to <main>: Next's route announcer is a `role="alert"` too.
 *
 * @example await expect(formAlert(page)).toHaveText("Incorrect email or password.");
 */
export function formAlert(page: Page): Locator {
  return page.getByRole("main").getByRole("alert");
}
