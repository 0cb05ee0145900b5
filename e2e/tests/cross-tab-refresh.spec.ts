import { expect, test } from "@playwright/test";
import { expectOnAccount, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";
import { recordProcedureCalls } from "../support/procedure-calls.ts";
import { withoutSessionEvents } from "../support/session-events.ts";
import { watchAccessTokens } from "../support/token-expiry.ts";


test("two tabs hitting an expired token refresh once between them", async ({ context, request }) => {
  // The live sign-out stream would refresh the idle tabs' token as it expires; this is the calls' own path.
  await withoutSessionEvents(context);
  const tokens = watchAccessTokens(context);
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  const second = await context.newPage();
  await second.goto("/account");
  // Its own restore is done once the sessions list shows; both tabs now hold the same token.
  await expectOnAccount(second, user);

  const calls = [first, second].map((page) => recordProcedureCalls(page));
  await tokens.expired(request);
  await Promise.all([
    first.getByRole("button", { name: "Refresh" }).click(),
    second.getByRole("button", { name: "Refresh" }).click(),
  ]);

  for (const page of [first, second]) await expectOnAccount(page, user);
  await expect
    .poll(() => calls.flat().filter((call) => call.procedure === "account.sessions" && call.status === 200).length)
    .toBe(2);
  // The Web Lock let one tab refresh; the other took the token it broadcast.
  expect(calls.flat().filter((call) => call.procedure === "auth.refresh")).toHaveLength(1);
  expect(calls.flat().some((call) => call.procedure === "auth.signin")).toBe(false);
});
