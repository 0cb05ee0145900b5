import type { ServerResponse } from "node:http";
import type { AuthErrorCode } from "@bearer-kit/auth/verify";
import { sendJSON } from "./send-json.ts";

/** The API's error codes (tRPC's names, HTTP statuses and JSON-RPC numbers) that this service uses. */
const ERRORS = {
  BAD_REQUEST: { status: 400, rpc: -32600 },
  UNAUTHORIZED: { status: 401, rpc: -32001 },
  FORBIDDEN: { status: 403, rpc: -32003 },
  NOT_FOUND: { status: 404, rpc: -32004 },
  METHOD_NOT_SUPPORTED: { status: 405, rpc: -32005 },
  PAYLOAD_TOO_LARGE: { status: 413, rpc: -32013 },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, rpc: -32015 },
  INTERNAL_SERVER_ERROR: { status: 500, rpc: -32603 },
  SERVICE_UNAVAILABLE: { status: 503, rpc: -32603 },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorDetails {
  /** The stable code to branch on, as in the API: `TOKEN_EXPIRED` means refresh and retry. */
  authCode?: AuthErrorCode | null;
  fieldErrors?: Record<string, string[]> | null;
  headers?: Record<string, string>;
}

/**
 * Answers with the API's error shape, so one client handles both services:
 * `{"error":{"message","code","data":{"code","httpStatus","authCode","fieldErrors","retryAfter"}}}`.
 */
export function sendError(res: ServerResponse, code: ErrorCode, details: ErrorDetails & { message: string }): void {
  const { status, rpc } = ERRORS[code];
  const data = {
    code,
    httpStatus: status,
    authCode: details.authCode ?? null,
    fieldErrors: details.fieldErrors ?? null,
    retryAfter: null,
  };
  sendJSON(res, { status, body: { error: { message: details.message, code: rpc, data } }, headers: details.headers });
}
