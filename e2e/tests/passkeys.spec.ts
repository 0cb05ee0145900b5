import { type CDPSession, expect, type Locator, type Page, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { watchCSPViolations } from "../support/csp-violations.ts";
import { newUser, type TestUser } from "../support/new-user.ts";

/**
 * A platform authenticator (Touch ID, Windows Hello) in the page's browser tab, through the
 * DevTools protocol: it keeps discoverable credentials, verifies the user, and says yes to every
 * prompt at once, so the real WebAuthn calls run end to end against the server's verifier.
 */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/**
 * Makes the page a browser without Conditional UI (no `isConditionalMediationAvailable`), so
 * /signin offers no autofill request. Chromium's virtual authenticator answers such a request at
 * once with any passkey it holds, standing in for the person picking the suggestion: with it on,
 * /signin would sign in by itself before the test could press a button or type a password.
 */
async function withoutConditionalUI(page: Page): Promise<void> {
  await page.addInitScript(() => {
    Object.defineProperty(PublicKeyCredential, "isConditionalMediationAvailable", { value: undefined });
  });
}

function passkeysCard(page: Page): Locator {
  return page.getByRole("region", { name: "Passkeys", exact: true });
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

/** Adds the account's first passkey through the card: its recovery codes are shown once. */
async function addFirstPasskey(page: Page, user: TestUser, name: string): Promise<void> {
  const card = passkeysCard(page);
  await expect(card.getByTestId("passkeys-empty")).toBeVisible();
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await card.getByLabel("Passkey name", { exact: true }).fill(name);
  // No second factor yet: the password alone confirms.
  await expect(card.getByLabel("Authentication code")).toHaveCount(0);
  await card.getByLabel("Current password", { exact: true }).fill(user.password);
  await card.getByRole("button", { name: "Create passkey" }).click();

  // The account's first second factor: ten recovery codes, shown once.
  await expect(card.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await card.getByRole("button", { name: "I saved them" }).click();
  const row = card.getByTestId("passkey-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("passkey-name")).toHaveText(name);
  // The virtual authenticator's credentials are not backed up: bound to this device.
  await expect(row.getByText("This device only", { exact: true })).toBeVisible();
}

test("a passkey added in /account signs in alone: from the button, and from the email field's autofill", async ({ page, browser }) => {
  const blocked = await watchCSPViolations(page);
  await withoutConditionalUI(page);
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await addFirstPasskey(page, user, "Work laptop");
  // A discoverable credential: it signs in with no email typed.
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]?.isResidentCredential).toBe(true);

  // Renaming asks for nothing but the name.
  const row = passkeysCard(page).getByTestId("passkey-row");
  await row.getByRole("button", { name: "Rename…" }).click();
  await row.getByLabel("New name", { exact: true }).fill("Laptop fingerprint");
  await row.getByRole("button", { name: "Save name" }).click();
  await expect(row.getByTestId("passkey-name")).toHaveText("Laptop fingerprint");

  await signOut(page);
  // "webauthn" last: where the browser supports it, the email field's suggestions list passkeys.
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("autocomplete", "username webauthn");
  const signedIn = page.waitForResponse((response) => response.url().includes("auth.signinWithPasskey"));
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  expect((await signedIn).status()).toBe(200);
  await expectOnAccount(page, user);
  expect(blocked).toEqual([]);

  // Another browser holding the same passkey, with Conditional UI: /signin offers it in the email
  // field's autofill, and choosing it (the virtual authenticator chooses at once) signs in. The
  // copy is taken now, with the signature counter of the last sign-in: an older copy would count
  // backwards, and the server refuses that as a cloned authenticator.
  const [credential] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  const other = await browser.newContext();
  try {
    const laptop = await other.newPage();
    const virtual = await addVirtualAuthenticator(laptop);
    if (!credential) throw new Error("the passkey was not created");
    await virtual.cdp.send("WebAuthn.addCredential", { authenticatorId: virtual.authenticatorId, credential });
    const autofilled = laptop.waitForResponse((response) => response.url().includes("auth.signinWithPasskey"));
    await laptop.goto("/signin");
    expect((await autofilled).status()).toBe(200);
    await expectOnAccount(laptop, user);
  } finally {
    await other.close();
  }
});

test("with a passkey, a password sign-in asks for it as the second step; once removed, the password alone signs in", async ({ page }) => {
  const blocked = await watchCSPViolations(page);
  await withoutConditionalUI(page);
  await addVirtualAuthenticator(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await addFirstPasskey(page, user, "Phone");
  await expect(page.getByRole("region", { name: "Two-step verification" }).getByTestId("two-factor-status")).toHaveText(
    "No authenticator app: sign-ins with your password ask for one of your passkeys.",
  );

  await signOut(page);
  await submitSignin(page, user.email, user.password);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
  // No authenticator app on this account: no code field, the passkey is the way.
  await expect(page.getByLabel("Authentication code", { exact: true })).toHaveCount(0);
  const verified = page.waitForResponse((response) => response.url().includes("auth.verifySecondFactor"));
  await page.getByRole("button", { name: "Use a passkey" }).click();
  expect((await verified).status()).toBe(200);
  await expectOnAccount(page, user);

  // Another passkey needs a fresh second step besides the password: a recovery code, or the
  // passkey the account has ("Use a passkey"). The server takes that one; then the browser refuses
  // to make a second passkey for the account on an authenticator that already holds one.
  const card = passkeysCard(page);
  await card.getByRole("button", { name: "Add a passkey" }).click();
  await expect(card.getByLabel("Recovery code", { exact: true })).toBeVisible();
  await card.getByLabel("Current password", { exact: true }).fill(user.password);
  const confirmed = page.waitForResponse((response) => response.url().includes("account.passkeyRegistrationOptions"));
  await card.getByRole("button", { name: "Use a passkey" }).click();
  expect((await confirmed).status()).toBe(200);
  await expect(card.getByRole("alert")).toHaveText("This device already holds a passkey for your account.");
  await card.getByRole("button", { name: "Cancel" }).click();

  // Removing the only passkey, the only second factor: the password confirms it.
  await card.getByTestId("passkey-row").getByRole("button", { name: "Remove…" }).click();
  await card.getByLabel("Current password", { exact: true }).fill(user.password);
  await card.getByRole("button", { name: "Remove passkey" }).click();
  await expect(card.getByTestId("passkeys-empty")).toBeVisible();
  await expect(card.getByTestId("passkey-row")).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Two-step verification" }).getByTestId("two-factor-status")).toHaveText(
    "Off: your password alone signs you in.",
  );

  await signOut(page);
  await submitSignin(page, user.email, user.password);
  await expectOnAccount(page, user);
  expect(blocked).toEqual([]);
});
