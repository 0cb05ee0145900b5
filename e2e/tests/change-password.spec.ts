import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

test("changing the password keeps this session and requires the new password next time", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  // The change-email card asks for the current password too.
  const card = page.getByRole("region", { name: "Change password" });

  await card.getByLabel("Current password", { exact: true }).fill("not my password");
  await card.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(formAlert(page)).toHaveText("Your current password is incorrect.");

  const newPassword = "a brand new passphrase";
  await card.getByLabel("Current password", { exact: true }).fill(user.password);
  await card.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText("Password changed. Your other sessions were signed out.");
  await expectOnAccount(page, user);

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  // Leaving before the logout request went out would cancel it.
  await expect(page).toHaveURL(/\/signin$/);
  await submitSignin(page, user.email, user.password);
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await submitSignin(page, user.email, newPassword);
  await expectOnAccount(page, user);
});
