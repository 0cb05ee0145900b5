import type { Page, Response } from "@playwright/test";

export interface ProcedureCall {
  procedure: string;
  status: number;
  /** The API's `data.authCode` for a failed call; filled in once the body has been read. */
  authCode: string | null;
}

/** tRPC procedure names in a request URL: `/api/trpc/a.b,c.d?batch=1` gives `["a.b", "c.d"]`. */
function proceduresOf(url: string): string[] {
  const { pathname } = new URL(url);
  const prefix = "/api/trpc/";
  if (!pathname.startsWith(prefix)) return [];
  return decodeURIComponent(pathname.slice(prefix.length)).split(",");
}

function authCodeOf(item: unknown): string | null {
  if (typeof item !== "object" || item === null || !("error" in item)) return null;
  const { error } = item;
  if (typeof error !== "object" || error === null || !("data" in error)) return null;
  const { data } = error;
  if (typeof data !== "object" || data === null || !("authCode" in data)) return null;
  return typeof data.authCode === "string" ? data.authCode : null;
}

async function readAuthCodes(response: Response, calls: ProcedureCall[]): Promise<void> {
  const body: unknown = await response.json().catch(() => null);
  // A batch answers with one item per call, in order; a single call with one object.
  const items: unknown[] = Array.isArray(body) ? body : [body];
  calls.forEach((call, index) => {
    call.authCode = authCodeOf(items[index]);
  });
}

/**
 * Records every tRPC call the page makes (one entry per procedure in a batch): HTTP status and,
 * for failures, the auth code.
 *
 * @example const calls = recordProcedureCalls(page); ...; expect(calls.filter((c) => c.procedure === "auth.refresh")).toHaveLength(1);
 */
export function recordProcedureCalls(page: Page): ProcedureCall[] {
  const calls: ProcedureCall[] = [];
  page.on("response", (response) => {
    const made = proceduresOf(response.url()).map((procedure) => ({ procedure, status: response.status(), authCode: null }));
    calls.push(...made);
    if (made.length > 0 && !response.ok()) void readAuthCodes(response, made);
  });
  return calls;
}
