import { expect, type Page, test } from "@playwright/test";
import { type SmtpCatcher, startSmtpCatcher } from "../conformance/lib/smtp-catcher.ts";
import { expectOnAccount, formAlert, submitSignin } from "../support/auth-flows.ts";
import { linkTo } from "../support/mail-drop.ts";
import { newUser, type TestUser } from "../support/new-user.ts";
import { type AppProcess, spawnApp, waitForOutput } from "../support/spawn-app.ts";

// AUTH_REQUIRE_EMAIL_VERIFICATION=true: no tokens until the address is verified. Its own app,
// sending to an SMTP server in this worker.
const SMTP_PORT = Number(process.env.E2E_PORT ?? 3100) + 46;
const PORT = Number(process.env.E2E_PORT ?? 3100) + 47;
const ORIGIN = `http://localhost:${PORT}`;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: ORIGIN });

let smtp: SmtpCatcher | undefined;
let app: AppProcess | undefined;
test.beforeAll(async () => {
  smtp = await startSmtpCatcher({ port: SMTP_PORT });
  app = spawnApp(["scripts/start.mjs"], {
    PORT: String(PORT),
    HOSTNAME: "localhost",
    APP_URL: ORIGIN,
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
    AUTH_REQUIRE_EMAIL_VERIFICATION: "true",
  });
  await waitForOutput(app, /listening on/, 90_000);
});
test.afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

async function register(page: Page, user: TestUser): Promise<void> {
  await page.goto("/register");
  await page.getByLabel("Name", { exact: true }).fill(user.name);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

const CHECK_EMAIL = "We sent a verification link to the address you entered. Open it to activate your account, then sign in.";

test("register shows “Check your email”, sign-in waits for the link, and the link lets the person in", async ({ page }) => {
  const user = newUser();
  const since = Date.now();
  await register(page, user);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByTestId("check-email")).toHaveText(CHECK_EMAIL);
  await expect(page).toHaveURL(/\/register$/);

  await smtp?.waitFor({ to: user.email, subject: "Verify your email address", since });

  // Signing in first gets EMAIL_NOT_VERIFIED and a fresh link, which replaces the first one.
  const signedIn = Date.now();
  await submitSignin(page, user.email, user.password);
  await expect(formAlert(page)).toHaveText("Please verify your email address first. We sent you a new link.");
  const mail = await smtp?.waitFor({ to: user.email, subject: "Verify your email address", since: signedIn });
  await page.goto(linkTo(mail ?? { links: [] }, "/verify-email"));
  await expect(page.getByTestId("verify-result")).toHaveText(`${user.email} is verified. Thank you.`);

  await submitSignin(page, user.email, user.password);
  await expectOnAccount(page, user);
  await expect(page.getByText("Email not verified")).toBeHidden();
});

test("registering a taken address looks the same, and its owner is told instead", async ({ page }) => {
  const owner = newUser();
  await register(page, owner);
  await expect(page.getByTestId("check-email")).toHaveText(CHECK_EMAIL);

  const since = Date.now();
  await register(page, { ...newUser(), email: owner.email });
  await expect(page.getByTestId("check-email")).toHaveText(CHECK_EMAIL);
  await smtp?.waitFor({ to: owner.email, subject: "Someone tried to register with your address", since });
});
