import { expect, type Page, test } from "@playwright/test";
import { registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

// A page whose JavaScript has not run (slow phone, script blocked) must never send a password
// in a URL: browser history, proxy logs and later Referer headers would keep it.
test.use({ javaScriptEnabled: false });

function recordRequests(page: Page): { method: string; url: string }[] {
  const requests: { method: string; url: string }[] = [];
  page.on("request", (request) => requests.push({ method: request.method(), url: request.url() }));
  return requests;
}

for (const path of ["/signin", "/register"]) {
  test(`${path}: pressing Enter before hydration sends no credential in a URL`, async ({ page }) => {
    const user = newUser();
    const requests = recordRequests(page);
    await page.goto(path);
    if (path === "/register") await page.getByLabel("Name", { exact: true }).fill(user.name);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await expect(page.getByRole("button", { name: path === "/signin" ? "Sign in" : "Create account", exact: true })).toBeDisabled();
    await page.getByLabel("Password", { exact: true }).press("Enter");
    await page.waitForLoadState("load");
    // An absence check, with JavaScript off: no event says "no submission is coming", so this
    // gives one the time to start. Too short a pause could only let a failure pass, never fail a
    // working page: it cannot make the test flaky.
    await page.waitForTimeout(500);

    expect(new URL(page.url()).search).toBe("");
    for (const { url } of requests) {
      expect(url).not.toContain(encodeURIComponent(user.password));
      expect(url).not.toContain(encodeURIComponent(user.email));
      expect(url).not.toMatch(/[?&](password|email)=/);
    }
  });

  test(`${path}: a forced submit posts to the page, which answers with a plain GET of itself`, async ({ page }) => {
    const user = newUser();
    const requests = recordRequests(page);
    await page.goto(`${path}?from=bookmark`);
    const form = page.locator("form").filter({ has: page.getByLabel("Password", { exact: true }) });
    await expect(form).toHaveAttribute("method", "post");
    await expect(form).toHaveAttribute("action", path);
    await page.getByLabel("Email", { exact: true }).fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    // What a password manager's auto-submit does: bypasses the disabled button.
    const response = page.waitForResponse((r) => r.request().method() === "POST");
    await form.evaluate((element) => (element as HTMLFormElement).submit());
    expect((await response).status()).toBe(303);
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    expect(requests.filter(({ url }) => url.includes(encodeURIComponent(user.password)) || /[?&]password=/.test(url))).toEqual([]);
  });
}

// The recovery pages: an address on /forgot-password, a new password on /reset-password.
for (const { path, label, button, value } of [
  { path: "/forgot-password", label: "Email", button: "Send reset link", value: "someone@example.com" },
  { path: "/reset-password#token=abc", label: "New password", button: "Set new password", value: "a secret passphrase" },
]) {
  test(`${path}: pressing Enter before hydration sends nothing typed, nor the link's token, in a URL`, async ({ page }) => {
    const requests = recordRequests(page);
    await page.goto(path);
    await page.getByLabel(label, { exact: true }).fill(value);
    await expect(page.getByRole("button", { name: button })).toBeDisabled();
    await page.getByLabel(label, { exact: true }).press("Enter");
    await page.waitForLoadState("load");
    // An absence check with JavaScript off, as above: a pause can only let a failure pass.
    await page.waitForTimeout(500);

    expect(new URL(page.url()).search).toBe("");
    for (const { url } of requests) {
      expect(url).not.toContain(encodeURIComponent(value));
      expect(url).not.toMatch(/[?&](password|email|token)=/);
    }
  });
}

test("a POST to a page route is answered with 303, never a 500, and never echoes the body", async ({ request }) => {
  for (const path of ["/signin", "/register", "/account", "/", "/forgot-password", "/reset-password", "/verify-email"]) {
    const response = await request.post(`${path}?a=1`, { form: { email: "x@example.com", password: "hunter2 hunter2" }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(new URL(response.headers().location ?? "", "http://h").pathname).toBe(path);
    expect(response.headers().location).not.toContain("hunter2");
  }
});

test.describe("with JavaScript", () => {
  test.use({ javaScriptEnabled: true });

  test("every form with a password field posts to its own path", async ({ page }) => {
    const user = newUser();
    await registerThroughUI(page, user);
    await page.getByRole("button", { name: "Delete account…" }).click();
    const forms = page.locator("form").filter({ has: page.locator('input[type="password"]') });
    // Change email, change password, delete account.
    await expect(forms).toHaveCount(3);
    for (const form of await forms.all()) {
      await expect(form).toHaveAttribute("method", "post");
      await expect(form).toHaveAttribute("action", "/account");
    }
  });
});
