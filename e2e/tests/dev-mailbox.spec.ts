import { request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { watchCSPViolations } from "../support/csp-violations.ts";
import { newUser } from "../support/new-user.ts";
import { type AppProcess, spawnApp, waitForOutput } from "../support/spawn-app.ts";

// The zero-config default: no SMTP_URL, so mail lands in the demo mailbox at /dev/mailbox, which
// only this machine may read. (The main test server has SMTP_URL set: there it must be a 404.)
const PORT = Number(process.env.E2E_PORT ?? 3100) + 45;
const ORIGIN = `http://127.0.0.1:${PORT}`;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: ORIGIN });

let app: AppProcess | undefined;
test.beforeAll(async () => {
  // All interfaces, so a test can also come in from this machine's network address.
  app = spawnApp(["scripts/start.mjs"], { PORT: String(PORT), HOSTNAME: "0.0.0.0", APP_URL: ORIGIN, AUTH_REGISTER_MAX_PER_IP: "1000" });
  await waitForOutput(app, /listening on/, 90_000);
});
test.afterAll(async () => {
  await app?.stop();
});

/**
 * Mail is sent after the answer, off the request path, so it can land just after the page was
 * rendered: reload the mailbox, as a person would, until the link is there, then follow it.
 */
async function openMailLink(page: Page, link: Locator): Promise<void> {
  await expect(async () => {
    if (!(await link.isVisible())) {
      await page.reload();
      await expect(link).toBeVisible({ timeout: 1000 });
    }
  }).toPass({ timeout: 15_000 });
  await link.click();
}

/** A GET over node:http, which sends exactly the Host and headers given. */
function get(host: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host, port: PORT, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function networkAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === "IPv4" && !entry.internal)?.address;
}

test("with no SMTP server, a person finishes password reset and verification through /dev/mailbox", async ({ page }) => {
  const problems = await watchCSPViolations(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await page.getByRole("link", { name: "demo mailbox" }).click();
  await expect(page).toHaveURL(`${ORIGIN}/dev/mailbox`);
  await expect(page.getByRole("note")).toContainText("This is a development mailbox. It exists only while no SMTP server is configured");

  const verification = page.getByRole("article", { name: "Verify your email address" }).filter({ hasText: user.email });
  await openMailLink(page, verification.getByRole("link", { name: /\/verify-email#token=/ }));
  await expect(page.getByTestId("verify-result")).toHaveText(`${user.email} is verified. Thank you.`);

  // Signed out, as someone who forgot their password would be.
  await page.goto(`${ORIGIN}/account`);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.getByLabel("Email", { exact: true }).fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("main").getByRole("status")).toBeVisible();

  await page.goto(`${ORIGIN}/dev/mailbox`);
  const reset = page.getByRole("article", { name: "Reset your password" }).filter({ hasText: user.email });
  await openMailLink(page, reset.getByRole("link", { name: /\/reset-password#token=/ }));
  await page.getByLabel("New password", { exact: true }).fill(`${user.password} renewed`);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expectOnAccount(page, user);
  await expect(page.getByText("Email not verified")).toBeHidden();
  // The mailbox's style block carries the response's nonce; the recovery pages run under the policy.
  expect(problems).toEqual([]);
});

test("/dev/mailbox answers only a loopback peer naming this machine; a forged peer header does not help", async () => {
  const local = await get("127.0.0.1", "/dev/mailbox", { host: `localhost:${PORT}` });
  expect(local.status).toBe(200);
  expect(local.body).toContain("This is a development mailbox.");

  // DNS rebinding: another site's name pointed at 127.0.0.1 still says its own name in Host.
  expect((await get("127.0.0.1", "/dev/mailbox", { host: `attacker.example:${PORT}` })).status).toBe(404);
  // A proxy on this machine forwarding someone else's request.
  expect((await get("127.0.0.1", "/dev/mailbox", { host: `localhost:${PORT}`, "x-forwarded-for": "203.0.113.9" })).status).toBe(404);

  const address = networkAddress();
  test.skip(address === undefined, "this machine has no non-loopback IPv4 address to come in from");
  const attempts: Record<string, string>[] = [
    { host: `localhost:${PORT}` },
    { host: `localhost:${PORT}`, "x-bearer-kit-peer": "127.0.0.1" },
    { host: `localhost:${PORT}`, "x-forwarded-for": "127.0.0.1" },
  ];
  for (const headers of attempts) {
    const remote = await get(address ?? "", "/dev/mailbox", headers);
    expect(remote.status, JSON.stringify(headers)).toBe(404);
    expect(remote.body).not.toContain("mailbox");
  }
});

test("/dev/mailbox sends no Referer and is never cached", async ({ request }) => {
  const response = await request.get(`${ORIGIN}/dev/mailbox`);
  expect(response.status()).toBe(200);
  expect(response.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["content-security-policy"]).toContain("script-src");
});
