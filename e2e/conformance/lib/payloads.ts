import { describe, fail } from "./expect.ts";
import { isRecord } from "./json.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** The error data the API promises on every failure. */
export interface ErrorShape {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    authCode: string | null;
    fieldErrors: Record<string, unknown> | null;
    retryAfter: number | null;
  };
}

/** A user as the API returns it. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

/** What `auth.register`, `auth.signin` and `auth.refresh` answer. */
export interface AuthPayload {
  user: PublicUser;
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresAt: string;
  expiresIn: number;
}

/** One call of a batch: its result, or its error. */
export type BatchItem = { ok: true; data: unknown } | { ok: false; error: ErrorShape };

function errorShapeOf(value: unknown): ErrorShape | null {
  if (!isRecord(value) || !isRecord(value.error)) return null;
  const { message, code, data } = value.error;
  if (typeof message !== "string" || typeof code !== "number" || !isRecord(data)) return null;
  if (typeof data.code !== "string" || typeof data.httpStatus !== "number") return null;
  return {
    message,
    code,
    data: {
      code: data.code,
      httpStatus: data.httpStatus,
      authCode: typeof data.authCode === "string" ? data.authCode : null,
      fieldErrors: isRecord(data.fieldErrors) ? data.fieldErrors : null,
      retryAfter: typeof data.retryAfter === "number" ? data.retryAfter : null,
    },
  };
}

/**
 * The tRPC error of a failed call; fails the case when the body is not one.
 *
 * @example errorOf(response).data.authCode // "TOKEN_EXPIRED"
 */
export function errorOf(response: ApiResponse): ErrorShape {
  return errorShapeOf(response.json) ?? fail(`expected a tRPC error body, got ${describe(response)}`);
}

/**
 * `result.data` of a successful call; fails the case on any other status or shape.
 *
 * @example const user = resultOf(await api.query("auth.me", { token }));
 */
export function resultOf(response: ApiResponse): unknown {
  if (response.status !== 200) fail(`expected 200, got ${describe(response)}`);
  const { json } = response;
  if (!isRecord(json) || !isRecord(json.result) || !("data" in json.result)) fail(`expected a tRPC result, got ${describe(response)}`);
  return json.result.data;
}

/** Checks a user object as the API returns it. */
export function publicUserOf(value: unknown): PublicUser {
  if (!isRecord(value)) return fail(`expected a user object, got ${JSON.stringify(value)}`);
  const { id, email, name, createdAt } = value;
  if (typeof id !== "string" || typeof email !== "string" || typeof name !== "string" || typeof createdAt !== "string") {
    return fail(`malformed user ${JSON.stringify(value)}`);
  }
  return { id, email, name, createdAt };
}

/**
 * The token response of a successful register, signin or refresh, checked field by field.
 *
 * @example const { accessToken, refreshToken } = authPayloadOf(await api.mutation("auth.signin", input));
 */
export function authPayloadOf(response: ApiResponse): AuthPayload {
  const data = resultOf(response);
  if (!isRecord(data)) return fail(`expected a token response, got ${describe(response)}`);
  const { accessToken, refreshToken, tokenType, expiresAt, expiresIn } = data;
  if (typeof accessToken !== "string" || typeof refreshToken !== "string" || typeof tokenType !== "string") {
    return fail(`token response lacks accessToken, refreshToken or tokenType: ${describe(response)}`);
  }
  if (typeof expiresAt !== "string" || typeof expiresIn !== "number") return fail(`token response lacks expiry: ${describe(response)}`);
  return { user: publicUserOf(data.user), accessToken, refreshToken, tokenType, expiresAt, expiresIn };
}

/**
 * The calls of a batch response, in order; fails the case when the body is not a batch.
 *
 * @example batchItems(response).filter((item) => !item.ok)
 */
export function batchItems(response: ApiResponse): BatchItem[] {
  const { json } = response;
  if (!Array.isArray(json)) return fail(`expected a batch (JSON array) body, got ${describe(response)}`);
  return json.map((item: unknown): BatchItem => {
    if (isRecord(item) && isRecord(item.result)) return { ok: true, data: item.result.data };
    const error = errorShapeOf(item);
    return error ? { ok: false, error } : fail(`malformed batch item ${JSON.stringify(item)}`);
  });
}
