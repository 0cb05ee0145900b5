import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

test("a wrong password shows an alert; the right one opens /account", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  await submitSignin(page, user.email, "not the password");
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/\/signin$/);

  await submitSignin(page, user.email, user.password);
  await expectOnAccount(page, user);
});

test("an unknown email gets the same answer as a wrong password", async ({ page }) => {
  await submitSignin(page, newUser().email, "whatever password");
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
});
