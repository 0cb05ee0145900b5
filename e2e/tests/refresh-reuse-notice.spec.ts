import { expect, test } from "@playwright/test";
import { expectOnAccount, formAlert, registerThroughUI } from "../support/auth-flows.ts";
import { newUser } from "../support/new-user.ts";

// A replay is a rotated refresh token presented again whose successor is no longer the live one
// (within AUTH_REFRESH_REUSE_INTERVAL a token whose successor is still live gets that successor
// back: a retry). So the legitimate browser rotates twice, and the stolen token is a replay at
// once: no waiting out the interval.
const REUSED = "For your safety this session was ended because its sign-in token was used twice. Sign in again.";

test("a replayed refresh token ends the session with an explanation, in every tab", async ({ context }) => {
  const user = newUser();
  const first = await context.newPage();
  await registerThroughUI(first, user);
  const stolen = (await context.cookies()).find((cookie) => cookie.name === "bk_refresh");
  expect(stolen).toBeDefined();

  // The legitimate browser moves on: the cookie rotates, and rotates again.
  await first.reload();
  await expectOnAccount(first, user);
  const second = await context.newPage();
  await second.goto("/account");
  await expectOnAccount(second, user);
  expect((await context.cookies()).find((cookie) => cookie.name === "bk_refresh")?.value).not.toBe(stolen?.value);

  if (stolen) await context.addCookies([stolen]);
  await first.reload();

  // Not a silent bounce to /signin: both tabs say why.
  for (const page of [first, second]) {
    await expect(page).toHaveURL(/\/signin$/);
    await expect(formAlert(page)).toHaveText(REUSED);
  }
});
