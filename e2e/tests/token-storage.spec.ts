import { expect, test } from "@playwright/test";
import { registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

// A JWT is three base64url parts; the refresh token is 43 base64url characters.
const TOKEN_LIKE = /eyJ[\w-]+\.[\w-]+\.[\w-]+|[\w-]{40,}/;

test("no token is readable by scripts; the refresh token is an httpOnly, same-site cookie", async ({ page, context }) => {
  await registerThroughUI(page, newUser());
  await page.reload();
  await expect(page.getByText(/Token expires at/)).toBeVisible();

  const stored = await page.evaluate(() => ({
    local: Object.entries(localStorage),
    session: Object.entries(sessionStorage),
    cookie: document.cookie,
  }));
  expect(stored.local).toEqual([]);
  expect(stored.session).toEqual([]);
  expect(stored.cookie).not.toMatch(TOKEN_LIKE);

  const refresh = (await context.cookies()).find((cookie) => cookie.name === "bk_refresh");
  expect(refresh).toBeDefined();
  expect(refresh?.httpOnly).toBe(true);
  expect(refresh?.sameSite).toBe("Strict");
  expect(refresh?.path).toBe("/api/trpc");
});
