import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { watchCSPViolations } from "../support/csp-violations.ts";
import { linkTo, waitForMail } from "../support/mail-drop.ts";
import { newUser, type TestUser } from "../support/new-user.ts";
import { type TotpCodes, totpCodes } from "../support/totp-codes.ts";

function twoFactorCard(page: Page): Locator {
  return page.getByRole("region", { name: "Two-step verification" });
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

/** Turns TOTP on through the card, reading the secret the page shows; returns the codes. */
async function enable(page: Page, user: TestUser): Promise<{ codes: TotpCodes; recoveryCodes: string[] }> {
  const card = twoFactorCard(page);
  await expect(card.getByTestId("two-factor-status")).toHaveText("Off: your password alone signs you in.");
  await card.getByRole("button", { name: "Set up two-step verification…" }).click();
  await card.getByLabel("Confirm with your password", { exact: true }).fill(user.password);
  await card.getByRole("button", { name: "Continue" }).click();

  const qr = card.getByRole("img", { name: "QR code for your authenticator app" });
  await expect(qr).toBeVisible();
  // Drawn in the page, no request: a data: SVG the CSP's img-src allows.
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
  const secret = (await card.getByTestId("totp-secret").innerText()).replace(/\s+/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32,}$/);
  const codes = totpCodes(secret);

  const confirm = card.getByLabel("Code from your app", { exact: true });
  await expect(confirm).toHaveAttribute("autocomplete", "one-time-code");
  await confirm.fill("000000");
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card.getByRole("alert")).toHaveText("That code did not work. Check your authenticator app and try again.");
  await confirm.fill(codes.next());
  await card.getByRole("button", { name: "Turn on" }).click();

  const list = card.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = (await list.getByRole("listitem").allInnerTexts()).map((code) => code.trim());
  // The .txt is made in the page from a blob: URL and holds every code.
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Download" }).click()]);
  expect(download.suggestedFilename()).toBe("bearer-kit-recovery-codes.txt");
  const text = await readFile(await download.path(), "utf8");
  for (const code of recoveryCodes) expect(text).toContain(code);
  await card.getByRole("button", { name: "I saved them" }).click();
  await expect(card.getByTestId("two-factor-status")).toContainText("10 recovery codes left.");
  return { codes, recoveryCodes };
}

test("two-step verification: turn it on in /account, sign in with a code and a recovery code, reset, turn it off", async ({ page, browser }) => {
  // The QR code, the blob: download and the second step all work under the page's policy.
  const blocked = await watchCSPViolations(page);
  const user = newUser();
  await registerThroughUI(page, user);
  const { codes, recoveryCodes } = await enable(page, user);
  // The sensitive forms now ask for a code too.
  await expect(page.getByRole("region", { name: "Change password" }).getByLabel("Authentication code")).toBeVisible();

  // Sign in: the password, then the code.
  await signOut(page);
  await submitSignin(page, user.email, user.password);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
  const code = page.getByLabel("Authentication code", { exact: true });
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  // Like the password form: a submit that beat the script would POST to the page, never GET a URL with the code.
  const secondStep = page.locator("form").filter({ has: code });
  await expect(secondStep).toHaveAttribute("method", "post");
  await expect(secondStep).toHaveAttribute("action", "/signin");
  await expect(page.getByText("Enter the 6-digit code from your authenticator app.")).toBeVisible();
  await code.fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(formAlert(page)).toHaveText("That code did not work. Check your authenticator app and try again.");
  await code.fill(codes.next());
  await page.getByRole("button", { name: "Verify" }).click();
  await expectOnAccount(page, user);

  // Sign in with a recovery code instead.
  await signOut(page);
  await submitSignin(page, user.email, user.password);
  await page.getByRole("button", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code", { exact: true }).fill(recoveryCodes[0] ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expectOnAccount(page, user);
  await expect(twoFactorCard(page).getByTestId("two-factor-status")).toContainText("9 recovery codes left.");
  expect(blocked).toEqual([]);

  // A reset changes the password, then asks for the second step before opening a session.
  const other = await browser.newContext();
  try {
    const phone = await other.newPage();
    await phone.goto("/forgot-password");
    const asked = Date.now();
    await phone.getByLabel("Email", { exact: true }).fill(user.email);
    await phone.getByRole("button", { name: "Send reset link" }).click();
    const mail = await waitForMail({ to: user.email, subject: "Reset your password", after: asked });
    await phone.goto(linkTo(mail, "/reset-password"));
    const newPassword = `${user.password} renewed`;
    await phone.getByLabel("New password", { exact: true }).fill(newPassword);
    await phone.getByRole("button", { name: "Set new password" }).click();
    await expect(phone.getByRole("main").getByRole("status")).toHaveText(
      "Your password was changed. Your account uses two-step verification: enter a code to sign in.",
    );
    // Two TOTP codes were taken (enable, sign-in); a third could fall in the same 30 s step and be
    // refused as a replay, so the rest of the flow uses recovery codes, which the forms take too.
    await phone.getByRole("button", { name: "Use a recovery code instead" }).click();
    await phone.getByLabel("Recovery code", { exact: true }).fill(recoveryCodes[1] ?? "");
    await phone.getByRole("button", { name: "Verify" }).click();
    await expectOnAccount(phone, user);
    await expect(twoFactorCard(phone).getByTestId("two-factor-status")).toContainText("8 recovery codes left.");

    // Turn it off: the new password and a code (here a recovery code: the field takes either).
    const card = twoFactorCard(phone);
    await card.getByRole("button", { name: "Turn off…" }).click();
    await card.getByLabel("Current password", { exact: true }).fill(newPassword);
    await card.getByLabel("Authentication code", { exact: true }).fill(recoveryCodes[2] ?? "");
    await card.getByRole("button", { name: "Turn off two-step verification" }).click();
    await expect(card.getByRole("status")).toHaveText("Two-step verification is off.");
    await expect(card.getByTestId("two-factor-status")).toHaveText("Off: your password alone signs you in.");
    await expect(phone.getByRole("region", { name: "Change password" }).getByLabel("Authentication code")).toHaveCount(0);

    // The password alone signs in again.
    await signOut(phone);
    await submitSignin(phone, user.email, newPassword);
    await expectOnAccount(phone, user);
  } finally {
    await other.close();
  }
});
