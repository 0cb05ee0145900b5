import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI, submitSignin } from "../support/auth-flows.ts";
import { watchCSPViolations } from "../support/csp-violations.ts";
import { newUser } from "../support/new-user.ts";
import { notesServer } from "../support/servers.ts";

function directives(policy: string): Map<string, string> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = "", ...values] = part.split(/\s+/);
        return [name, values.join(" ")];
      }),
  );
}

test("every page sends a nonce-based CSP and the other security headers", async ({ request }) => {
  const nonces = new Set<string>();
  const pages = ["/", "/signin", "/register", "/account", "/forgot-password", "/reset-password", "/verify-email"];
  // The pages that handle an emailed link's token send no Referer at all.
  const noReferrer = new Set(["/reset-password", "/verify-email"]);
  for (const path of pages) {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const headers = response.headers();
    const csp = directives(headers["content-security-policy"] ?? "");
    const scripts = csp.get("script-src") ?? "";
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scripts)?.[1] ?? "";
    expect(nonce).not.toBe("");
    nonces.add(nonce);
    expect(scripts).not.toContain("unsafe-inline");
    expect(scripts).not.toContain("unsafe-eval");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'none'");
    expect(csp.get("form-action")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    // The app itself and the notes service /account calls, exactly: nowhere else to send a token.
    expect(csp.get("connect-src")).toBe(`'self' ${notesServer().url}`);
    expect(csp.get("default-src")).toBe("'self'");
    // Every script the server renders carries this response's nonce.
    const html = await response.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);

    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe(noReferrer.has(path) ? "no-referrer" : "strict-origin-when-cross-origin");
    expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    // Plain http: HSTS would be meaningless, and wrong for a local run.
    expect(headers["strict-transport-security"]).toBeUndefined();
  }
  expect(nonces.size).toBe(pages.length);
});

test("HSTS is sent when the request came over https, and the API gets a lock-down policy", async ({ request }) => {
  const https = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toBe("max-age=31536000");
  expect(https.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");

  const api = await request.get("/api/trpc/auth.me");
  expect(api.status()).toBe(401);
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});

test("the pages work under the policy: nothing is blocked from registering to signing in again", async ({ page }) => {
  const problems = await watchCSPViolations(page);
  const user = newUser();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await registerThroughUI(page, user);
  await page.reload();
  await expectOnAccount(page, user);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await submitSignin(page, user.email, "not the password");
  await expect(formAlert(page)).toHaveText("Incorrect email or password.");
  await submitSignin(page, user.email, user.password);
  await expectOnAccount(page, user);
  expect(problems).toEqual([]);
});
