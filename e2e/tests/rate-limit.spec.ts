import { expect, test } from "@playwright/test";
import { formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

test("repeated wrong passwords are throttled with a wait in minutes, not seconds", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The server allows 5 failures per account and window (AUTH_SIGNIN_MAX_FAILURES default).
  for (let attempt = 1; attempt <= 5; attempt++) {
    await submitSignin(page, user.email, `wrong password ${attempt}`);
    await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  }
  await submitSignin(page, user.email, user.password);
  // The window is 15 minutes (AUTH_SIGNIN_WINDOW default): "900 seconds" would be unkind.
  await expect(formAlert(page)).toHaveText("Too many attempts. Try again in 15 minutes.");
});
