import { request } from "node:http";
import { request as requestTLS } from "node:https";
import { parseJSON } from "./json.ts";
import type { ApiResponse } from "./trpc-http.ts";

/** A request for `rawRequest`. */
export interface RawRequest {
  method: "GET" | "POST";
  /** The request line's target, sent exactly as written (`/api/trpc/%zz`, `//`, `*`). */
  target: string;
  /** Header lines in order; a name given twice is sent as two lines, which fetch cannot do. */
  headers: ReadonlyArray<readonly [string, string]>;
}

/**
 * Sends a request through `node:http`, so the target and the header lines reach the server
 * exactly as given: fetch would normalise the one and merge the others.
 *
 * @example await rawRequest(origin, { method: "GET", target: "/api/trpc/auth.me", headers: [["authorization", a], ["authorization", b]] })
 */
export function rawRequest(origin: string, spec: RawRequest): Promise<ApiResponse> {
  const base = new URL(origin);
  const url = `${base.origin}${spec.target}`;
  const byName = new Map<string, string[]>();
  for (const [name, value] of spec.headers) byName.set(name, [...(byName.get(name) ?? []), value]);
  const send = base.protocol === "https:" ? requestTLS : request;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // `path` goes out as written, where a URL string would be parsed and normalised first.
    const where = { protocol: base.protocol, hostname: base.hostname.replace(/^\[|\]$/g, ""), port: base.port, path: spec.target };
    const req = send({ ...where, method: spec.method, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const headers = new Headers();
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i] ?? "", res.rawHeaders[i + 1] ?? "");
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        resolve({ method: spec.method, url, status, headers, text, json: parseJSON(text), ms: performance.now() - started });
      });
    });
    // An array value goes out as one header line per element.
    for (const [name, values] of byName) req.setHeader(name, values.length === 1 ? (values[0] ?? "") : values);
    req.on("timeout", () => req.destroy(new Error(`no response from ${url} within 15 s`)));
    req.on("error", reject);
    req.end();
  });
}
