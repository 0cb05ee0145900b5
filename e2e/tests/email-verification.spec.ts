import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { linkTo, waitForMail } from "../support/mail-drop.ts";
import { newUser } from "../support/new-user.ts";

// The main app sends real mail over SMTP to the catcher in global-setup.ts.

test("register → verification link → the “Email not verified” badge is gone", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  await expect(page.getByText("Email not verified")).toBeVisible();
  const first = await waitForMail({ to: user.email, subject: "Verify your email address" });

  // A fresh link replaces the first one.
  const resent = Date.now();
  await page.getByRole("button", { name: "Resend verification email" }).click();
  await expect(page.getByTestId("email-verification").getByRole("status")).toHaveText("Sent. Open the link in the email to verify your address.");
  const mail = await waitForMail({ to: user.email, subject: "Verify your email address", after: resent });
  const link = linkTo(mail, "/verify-email");
  expect(link).not.toBe(linkTo(first, "/verify-email"));
  const response = await page.goto(link);
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(page.getByTestId("verify-result")).toHaveText(`${user.email} is verified. Thank you.`);
  expect(page.url()).not.toContain("#");

  await page.getByRole("link", { name: "Go to your account" }).click();
  await expectOnAccount(page, user);
  await expect(page.getByText("Email not verified")).toBeHidden();

  // Single use: the same link again says so, and so does the one it replaced.
  for (const used of [link, linkTo(first, "/verify-email")]) {
    // From another page: a fragment-only change would not load the page again.
    await page.goto("about:blank");
    await page.goto(used);
    await expect(formAlert(page)).toHaveText("This verification link has already been used, or a newer one replaced it.");
  }
});

test("change email → confirm from the new address → the new email is shown and signs in", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  const newEmail = newUser().email;

  const card = page.getByRole("region", { name: "Change email" });
  await card.getByLabel("Current password", { exact: true }).fill("not my password");
  await card.getByLabel("New email", { exact: true }).fill(newEmail);
  await card.getByRole("button", { name: "Change email" }).click();
  await expect(card.getByRole("alert")).toHaveText("Your password is incorrect.");

  await card.getByLabel("Current password", { exact: true }).fill(user.password);
  await card.getByLabel("New email", { exact: true }).fill(newEmail);
  await card.getByRole("button", { name: "Change email" }).click();
  await expect(card.getByRole("status")).toHaveText(`Check ${newEmail} for a confirmation link. Until you open it, your email stays ${user.email}.`);

  // The old address hears about it; nothing changes until the new one confirms.
  await waitForMail({ to: user.email, subject: "Your account's email is about to change" });
  const mail = await waitForMail({ to: newEmail, subject: "Confirm your new email address" });
  await page.reload();
  await expect(page.getByTestId("profile-email")).toHaveText(user.email);

  await page.goto(linkTo(mail, "/verify-email"));
  await expect(page.getByTestId("verify-result")).toContainText(`Your email address is now ${newEmail}.`);

  // This tab opened the link signed in, so its session survived; every other one was revoked.
  await page.getByRole("link", { name: "Go to your account" }).click();
  await expect(page.getByTestId("profile-email")).toHaveText(newEmail);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await submitSignin(page, user.email, user.password);
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await submitSignin(page, newEmail, user.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("profile-email")).toHaveText(newEmail);
});
