import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

// AUTH_REFRESH_REUSE_INTERVAL is 10 s: an older refresh token presented later is a replay.
const PAST_REUSE_INTERVAL_MS = 11_000;
const REUSED = "For your safety this session was ended because its sign-in token was used twice. Sign in again.";

test("a replayed refresh token ends the session with an explanation, in every tab", async ({ context }) => {
  test.setTimeout(60_000);
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  const stolen = (await context.cookies()).find((cookie) => cookie.name === "bk_refresh");
  expect(stolen).toBeDefined();

  // The legitimate browser moves on: the cookie rotates.
  await first.reload();
  await expectOnAccount(first, user);
  const second = await context.newPage();
  await second.goto("/account");
  await expectOnAccount(second, user);

  await first.waitForTimeout(PAST_REUSE_INTERVAL_MS);
  if (stolen) await context.addCookies([stolen]);
  await first.reload();

  // Not a silent bounce to /signin: both tabs say why.
  for (const page of [first, second]) {
    await expect(page).toHaveURL(/\/signin$/);
    await expect(formAlert(page)).toHaveText(REUSED);
  }
});
