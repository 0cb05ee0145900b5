import { randomBytes } from "node:crypto";
import type { ConformanceContext } from "../context.ts";
import { decodeJWT } from "./forge.ts";
import { authPayloadOf, type AuthPayload } from "./payloads.ts";

/** The tokens of one session, and its id (the `sid` claim). */
export interface TestSession {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

/** A freshly registered account, signed in once (registration starts a session). */
export interface TestUser extends TestSession {
  id: string;
  email: string;
  password: string;
  name: string;
}

// One run's emails never collide with another run's against the same database.
const RUN = randomBytes(4).toString("hex");
let counter = 0;

/**
 * An address no account has yet: unique per run and per call.
 *
 * @example uniqueEmail("throttle") // "conf-throttle-1a2b3c4d-7@example.test"
 */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `conf-${label}-${RUN}-${counter}@example.test`;
}

/** A random password comfortably inside the 8 to 256 character policy. */
export function strongPassword(): string {
  return `Pw-${randomBytes(12).toString("base64url")}`;
}

/** The session part of a token response; the session id comes from the access token's `sid`. */
export function sessionOf(payload: AuthPayload): TestSession {
  const sid = decodeJWT(payload.accessToken).payload.sid;
  if (typeof sid !== "string") throw new Error(`the issued access token has no string sid: ${JSON.stringify(sid)}`);
  return { accessToken: payload.accessToken, refreshToken: payload.refreshToken, sessionId: sid };
}

/**
 * Registers a new account over HTTP; fails the case unless the server answers a token response.
 *
 * @example const alice = await registerUser(ctx);
 */
export async function registerUser(
  ctx: ConformanceContext,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? strongPassword();
  const name = overrides.name ?? "Conformance User";
  const payload = authPayloadOf(await ctx.api.mutation("auth.register", { email, password, name }));
  return { ...sessionOf(payload), id: payload.user.id, email, password, name };
}

/**
 * Signs an existing account in again, starting another session.
 *
 * @example const laptop = await signinUser(ctx, alice);
 */
export async function signinUser(ctx: ConformanceContext, user: { email: string; password: string }): Promise<TestSession> {
  return sessionOf(authPayloadOf(await ctx.api.mutation("auth.signin", { email: user.email, password: user.password })));
}
