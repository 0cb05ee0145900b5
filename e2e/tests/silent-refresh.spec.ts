import { expect, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";
import { withoutSessionEvents } from "../support/session-events.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";

// The e2e server issues 5-second access tokens with no leeway (playwright.config.ts).

test("an expired access token is refreshed silently and the call retried", async ({ page, request }) => {
  // The live sign-out stream would refresh the idle tab's token as it expires; this is the call's own path.
  await withoutSessionEvents(page);
  const tokens = watchAccessTokens(page);
  const user = newUser();
  await registerThroughUI(page, user);
  const expiry = page.getByText(/Token expires at/);
  const firstExpiry = await expiry.textContent();
  const calls = recordProcedureCalls(page);

  await tokens.expired(request);
  await page.getByRole("button", { name: "Refresh" }).click();

  // The protected call failed with TOKEN_EXPIRED, one refresh followed, and the retry succeeded.
  await expect
    .poll(() => calls.filter((call) => call.procedure === "account.sessions").map(({ status, authCode }) => ({ status, authCode })))
    .toEqual([
      { status: 401, authCode: "TOKEN_EXPIRED" },
      { status: 200, authCode: null },
    ]);
  expect(calls.filter((call) => call.procedure === "auth.refresh").map((call) => call.status)).toEqual([200]);
  expect(calls.some((call) => call.procedure === "auth.signin")).toBe(false);

  await expectOnAccount(page, user);
  await expect(expiry).not.toHaveText(firstExpiry ?? "");
});

test("client-side navigation after expiry stays signed in", async ({ page, request }) => {
  const tokens = watchAccessTokens(page);
  const user = newUser();
  await registerThroughUI(page, user);
  await tokens.expired(request);

  await page.getByRole("link", { name: "bearer-kit" }).click();
  await expect(page.getByRole("link", { name: "Go to your account" })).toBeVisible();
  await page.getByRole("link", { name: "Go to your account" }).click();
  await expectOnAccount(page, user);
});
