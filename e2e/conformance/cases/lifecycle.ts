// Session lifecycle: revocation takes effect at once for access and refresh tokens alike,
// rotation is single-use with a short retry grace, and reuse kills the whole session.
import { defineGroup } from "../conformance-case.ts";
import { describe, fail } from "../lib/expect.ts";
import { authPayloadOf, errorOf, resultOf } from "../lib/payloads.ts";
import { expectTokenAccepted, expectTokenRejected, expectUnauthorized } from "../lib/probe.ts";
import { expectRefreshRefused, mutateAs, refresh, rotate } from "../lib/session-calls.ts";
import { registerUser, signinUser } from "../lib/users.ts";

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Logout, rotation, reuse detection, password change and deletion. */
export const lifecycleCases = defineGroup("lifecycle", [
  {
    name: "logout revokes this session's access and refresh tokens at once",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      await mutateAs(ctx, user, { path: "auth.logout", input: {} });
      await expectTokenRejected(ctx, user.accessToken, { authCode: "SESSION_REVOKED" });
      await expectRefreshRefused(ctx, user.refreshToken);
    },
  },
  {
    name: "logout everywhere revokes another session's access and refresh tokens",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const laptop = await signinUser(ctx, user);
      await mutateAs(ctx, user, { path: "auth.logout", input: { everywhere: true } });
      await expectTokenRejected(ctx, laptop.accessToken, { authCode: "SESSION_REVOKED" });
      await expectRefreshRefused(ctx, laptop.refreshToken);
      await expectTokenRejected(ctx, user.accessToken, { authCode: "SESSION_REVOKED" });
    },
  },
  {
    name: "refresh rotation returns a new pair for the same session",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const next = await rotate(ctx, user.refreshToken);
      if (next.refreshToken === user.refreshToken) fail("the refresh token was not rotated");
      if (!REFRESH_TOKEN.test(next.refreshToken)) fail(`the new refresh token is not 43 base64url characters: ${next.refreshToken}`);
      if (next.accessToken === user.accessToken) fail("the access token was not renewed");
      if (next.sessionId !== user.sessionId) fail(`rotation moved to session ${next.sessionId} from ${user.sessionId}`);
      await expectTokenAccepted(ctx, next.accessToken, user.id);
    },
  },
  {
    name: "a retry within the reuse interval gets the same successor, and nothing is revoked",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const first = await rotate(ctx, user.refreshToken);
      const retry = await rotate(ctx, user.refreshToken);
      if (retry.refreshToken !== first.refreshToken) fail("the retry got a different successor: the session forked");
      await expectTokenAccepted(ctx, retry.accessToken, user.id);
      await rotate(ctx, first.refreshToken);
    },
  },
  {
    name: "reuse of an older token (A after A→B→C): REFRESH_REUSED, and C dies too",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const b = await rotate(ctx, user.refreshToken);
      const c = await rotate(ctx, b.refreshToken);
      // B is no longer live, so A is outside the retry grace whatever the interval: theft.
      await expectRefreshRefused(ctx, user.refreshToken, { authCode: "REFRESH_REUSED" });
      await expectRefreshRefused(ctx, c.refreshToken);
      await expectTokenRejected(ctx, c.accessToken, { authCode: "SESSION_REVOKED" });
    },
  },
  {
    name: "20 concurrent refreshes of one token: all 200, one successor, one live chain",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(ctx, user.refreshToken)));
      const failed = responses.filter((response) => response.status !== 200);
      if (failed[0]) fail(`${failed.length} of 20 concurrent refreshes failed, e.g. ${describe(failed[0])}`);
      const successors = new Set(responses.map((response) => authPayloadOf(response).refreshToken));
      if (successors.size !== 1) fail(`concurrent refreshes forked the session into ${successors.size} successors`);
      const [successor] = successors;
      if (successor === undefined) fail("no refresh token in the responses");
      const next = await rotate(ctx, successor);
      const sessions = resultOf(await ctx.api.query("account.sessions", { token: next.accessToken }));
      if (!Array.isArray(sessions) || sessions.length !== 1) fail(`expected one live session, got ${JSON.stringify(sessions)}`);
    },
  },
  {
    name: "password change revokes the other session and keeps the current one",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      const laptop = await signinUser(ctx, user);
      const newPassword = `${user.password}-new`;
      await mutateAs(ctx, user, { path: "account.changePassword", input: { currentPassword: user.password, newPassword } });
      await expectTokenAccepted(ctx, user.accessToken, user.id);
      await expectTokenRejected(ctx, laptop.accessToken, { authCode: "SESSION_REVOKED" });
      await expectRefreshRefused(ctx, laptop.refreshToken);
      await rotate(ctx, user.refreshToken);
      await signinUser(ctx, { email: user.email, password: newPassword });
      const old = await ctx.api.mutation("auth.signin", { email: user.email, password: user.password });
      if (old.status !== 401) fail(`the old password still answers ${describe(old)}`);
    },
  },
  {
    name: "account deletion kills its tokens; re-registering the email does not revive them",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      await mutateAs(ctx, user, { path: "account.delete", input: { password: user.password } });
      await expectTokenRejected(ctx, user.accessToken);
      await expectRefreshRefused(ctx, user.refreshToken);
      const again = await registerUser(ctx, { email: user.email });
      if (again.id === user.id) fail("the re-registered account got the deleted account's id");
      await expectTokenRejected(ctx, user.accessToken);
      await expectRefreshRefused(ctx, user.refreshToken);
    },
  },
  {
    // The cookie is read only with `x-auth-transport: cookie`, a header no cross-site form can
    // send without a CORS preflight: without it, a browser's ambient cookie must not refresh.
    name: "a refresh cookie without the x-auth-transport: cookie header is ignored",
    run: async (ctx) => {
      const user = await registerUser(ctx);
      // `{}` is what the web app sends in cookie mode: no token in the body, only in the cookie.
      const response = await ctx.api.mutation("auth.refresh", {}, { headers: { cookie: `bk_refresh=${user.refreshToken}` } });
      expectUnauthorized(response, { challenge: "unchecked" });
      await rotate(ctx, user.refreshToken);
    },
  },
  {
    name: "revoking another user's session id: NOT_FOUND, and that session lives on",
    run: async (ctx) => {
      const attacker = await registerUser(ctx);
      const victim = await registerUser(ctx);
      const response = await ctx.api.mutation("account.revokeSession", { id: victim.sessionId }, { token: attacker.accessToken });
      if (response.status !== 404) fail(`expected 404, got ${describe(response)}`);
      if (errorOf(response).data.authCode !== "NOT_FOUND") fail(`expected authCode NOT_FOUND: ${describe(response)}`);
      await expectTokenAccepted(ctx, victim.accessToken, victim.id);
    },
  },
]);
