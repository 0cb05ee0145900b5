import { expect, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";

test("a reload keeps the session: the memory-only token comes back through the refresh cookie", async ({ page }) => {
  const user = newUser();
  await registerThroughUI(page, user);
  const calls = recordProcedureCalls(page);

  await page.reload();
  await expectOnAccount(page, user);
  expect(calls.filter((call) => call.procedure === "auth.refresh").map((call) => call.status)).toEqual([200]);
  expect(calls.some((call) => call.procedure === "auth.signin")).toBe(false);

  // A brand-new tab of the same browser is signed in too.
  const second = await page.context().newPage();
  await second.goto("/account");
  await expectOnAccount(second, user);
});
