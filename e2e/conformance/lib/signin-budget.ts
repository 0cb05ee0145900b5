import { isRecord } from "./json.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** The server's default per-address limit: failed sign-ins per 15 minutes from one client address. */
export const PER_ADDRESS_LIMIT = 100;

function counts(status: unknown): boolean {
  // The server counts every attempt before checking the password, and refunds only successes:
  // both a 401 and a 429 used up one of the address's attempts.
  return status === 401 || status === 429;
}

function itemStatus(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item.error) || !isRecord(item.error.data)) return undefined;
  return item.error.data.httpStatus;
}

/**
 * How many of the client address's sign-in attempts this exchange used up, as far as the suite
 * can tell: all the suite's requests share one address, which only 100 failures fit in.
 *
 * @example failedSigninsIn(response) // 1 for a 401 from auth.signin
 */
export function failedSigninsIn(response: ApiResponse): number {
  if (!/signin/i.test(response.url)) return 0;
  if (Array.isArray(response.json)) return response.json.filter((item) => counts(itemStatus(item))).length;
  return counts(response.status) ? 1 : 0;
}
