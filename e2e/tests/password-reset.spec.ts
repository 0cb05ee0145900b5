import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { linkTo, waitForMail } from "../support/mail-drop.ts";
import { newUser } from "../support/new-user.ts";

// The main app sends real mail over SMTP to the catcher in global-setup.ts.
const REQUESTED = "If an account uses that address, we have sent it a link to set a new password. Check your inbox.";

test("forgot password → mail → reset signs in here, and the old session in another browser is signed out", async ({ page, browser }) => {
  const user = newUser();
  await registerThroughUI(page, user);

  const other = await browser.newContext();
  try {
    const phone = await other.newPage();
    await phone.goto("/signin");
    await phone.getByRole("link", { name: "Forgot password?" }).click();
    await expect(phone).toHaveURL(/\/forgot-password$/);
    const asked = Date.now();
    await phone.getByLabel("Email", { exact: true }).fill(user.email);
    await phone.getByRole("button", { name: "Send reset link" }).click();
    await expect(phone.getByRole("main").getByRole("status")).toHaveText(REQUESTED);

    const mail = await waitForMail({ to: user.email, subject: "Reset your password", after: asked });
    const link = linkTo(mail, "/reset-password");
    expect(link).toMatch(/^\/reset-password#token=[\w-]+$/);
    const response = await phone.goto(link);
    // The token rides in the fragment: the server never sees it, and no Referer may carry the page.
    expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
    expect(response?.request().url()).not.toContain("token");
    await expect(phone.getByRole("button", { name: "Set new password" })).toBeEnabled();
    expect(phone.url()).not.toContain("#");

    const newPassword = `${user.password} renewed`;
    await phone.getByLabel("New password", { exact: true }).fill(newPassword);
    await phone.getByRole("button", { name: "Set new password" }).click();
    await expectOnAccount(phone, user);
    // Stored like a sign-in: the refresh cookie brings the session back after a reload.
    await phone.reload();
    await expectOnAccount(phone, user);

    // Every other session was revoked: the first browser's refresh cookie no longer works.
    await page.reload();
    await expect(page).toHaveURL(/\/signin$/);

    // The link worked once.
    await phone.goto(link);
    await phone.getByLabel("New password", { exact: true }).fill(`${newPassword} again`);
    await phone.getByRole("button", { name: "Set new password" }).click();
    await expect(formAlert(phone)).toHaveText("This reset link has already been used, or a newer one replaced it.");
    await expect(phone.getByRole("link", { name: "Request a new reset link" })).toBeVisible();

    await submitSignin(page, user.email, user.password);
    await expect(formAlert(page)).toHaveText("Incorrect email or password.");
    await submitSignin(page, user.email, newPassword);
    await expectOnAccount(page, user);
  } finally {
    await other.close();
  }
});

test("/forgot-password confirms an unknown address with the same words as a known one", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel("Email", { exact: true }).fill(newUser().email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(REQUESTED);
});

test("/reset-password without a token, or with a made-up one, says the link is not valid", async ({ page }) => {
  await page.goto("/reset-password");
  await expect(formAlert(page)).toHaveText("This page needs the link from your email, in full. Open the link again, or ask for a new one.");
  // From another page: a fragment-only change would not load the page again.
  await page.goto("about:blank");
  await page.goto(`/reset-password#token=${"A".repeat(43)}`);
  await page.getByLabel("New password", { exact: true }).fill("a perfectly fine passphrase");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(formAlert(page)).toHaveText(
    "This reset link is not valid: it may be incomplete, or your password or email changed (or you signed out everywhere) after it was sent.",
  );
});

test("with SMTP_URL set, /dev/mailbox is a 404 and /account links no mailbox", async ({ request, page }) => {
  const response = await request.get("/dev/mailbox");
  expect(response.status()).toBe(404);
  expect(await response.text()).not.toContain("mailbox");
  await registerThroughUI(page, newUser());
  await expect(page.getByRole("link", { name: "demo mailbox" })).toHaveCount(0);
});
