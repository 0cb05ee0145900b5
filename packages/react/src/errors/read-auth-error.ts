import { TRPCClientError } from "@trpc/client";

/** What the UI needs from a failed call, whatever shape the failure took. */
export interface AuthErrorInfo {
  /** The API's stable `authCode` (`INVALID_CREDENTIALS`, `TOKEN_EXPIRED`, ...), if it sent one. */
  code: string | null;
  httpStatus: number | null;
  fieldErrors: Record<string, string[]>;
  retryAfter: number | null;
  /** True when no answer came back at all (offline, server down, aborted). */
  network: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function readFieldErrors(value: unknown): Record<string, string[]> {
  if (!isRecord(value)) return {};
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) fieldErrors[field] = messages.filter((m): m is string => typeof m === "string");
  }
  return fieldErrors;
}

/**
 * Reads `data.authCode`, `data.fieldErrors` and `data.retryAfter` from a tRPC error. Parsed
 * structurally, not trusted: an error may come from a proxy, the network or an older server.
 *
 * @example if (readAuthError(error).code === "TOKEN_EXPIRED") await refresh();
 */
export function readAuthError(error: unknown): AuthErrorInfo {
  const data = error instanceof TRPCClientError && isRecord(error.data) ? error.data : {};
  const code = typeof data.authCode === "string" ? data.authCode : null;
  const httpStatus = typeof data.httpStatus === "number" ? data.httpStatus : null;
  const retryAfter = typeof data.retryAfter === "number" ? data.retryAfter : null;
  const network = error instanceof TRPCClientError && httpStatus === null && code === null;
  return { code, httpStatus, fieldErrors: readFieldErrors(data.fieldErrors), retryAfter, network };
}
