import type { ServerResponse } from "node:http";

/** Headers every response carries: notes are private, so nothing may be cached. */
const BASE_HEADERS = { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

export interface JSONResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string> | undefined;
}

/** Writes `body` as JSON with `status`, plus any extra `headers`. */
export function sendJSON(res: ServerResponse, response: JSONResponse): void {
  if (res.headersSent) return;
  res.writeHead(response.status, { ...BASE_HEADERS, ...response.headers });
  res.end(JSON.stringify(response.body));
}
