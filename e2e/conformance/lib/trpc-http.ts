import { parseJSON } from "./json.ts";

/** One HTTP exchange as the suite saw it; every one is recorded for the leaks group. */
export interface ApiResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
  /** Wall time from sending the request to reading the whole body. */
  readonly ms: number;
}

/** Per-call credentials and headers. */
export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra headers; an `authorization` here replaces the one `token` builds. */
  headers?: Record<string, string>;
}

/** A query's input and query string, besides credentials. */
export interface QueryOptions extends CallOptions {
  /** Sent as `?input=<urlencoded JSON>`. */
  input?: unknown;
  /** Extra query parameters, appended verbatim after `input`. */
  search?: string;
}

/** tRPC v11 over plain HTTP, no transformer: what any non-tRPC client would send. */
export interface TRPCHTTP {
  /** `<url>/api/trpc` */
  readonly endpoint: string;
  query(path: string, options?: QueryOptions): Promise<ApiResponse>;
  mutation(path: string, input: unknown, options?: CallOptions): Promise<ApiResponse>;
  /** One POST to `<a,b,c>?batch=1` with body `{"0": inputs[0], ...}`. */
  batch(paths: readonly string[], inputs: readonly unknown[], options?: CallOptions): Promise<ApiResponse>;
  /** Any request; `target` is appended verbatim to the origin, so odd paths ("//api") survive. */
  send(target: string, init?: RequestInit): Promise<ApiResponse>;
  /** Records an exchange made some other way (e.g. raw `node:http`). */
  record(response: ApiResponse): void;
}

/** Where the API is, and who sees each response. */
export interface TRPCHTTPOptions {
  /** The deployment's origin, e.g. `http://localhost:3000`. */
  url: string;
  /** Sees every response, for recording. */
  onResponse(response: ApiResponse): void;
  /** Per request. Default 15 s: a hung server fails its case rather than the whole run. */
  timeoutMs?: number;
}

const JSON_BODY = { "content-type": "application/json" };

function headersFor(options: CallOptions = {}): Record<string, string> {
  return {
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
}

/**
 * @example
 * const api = createTRPCHTTP({ url: "http://localhost:3000", onResponse: (r) => seen.push(r) });
 * const me = await api.query("auth.me", { token });
 */
export function createTRPCHTTP(options: TRPCHTTPOptions): TRPCHTTP {
  const origin = options.url.replace(/\/+$/, "");
  const endpoint = `${origin}/api/trpc`;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function send(target: string, init: RequestInit = {}): Promise<ApiResponse> {
    const url = `${origin}${target}`;
    const method = init.method ?? "GET";
    const started = performance.now();
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual", ...init });
    const text = await response.text();
    const recorded: ApiResponse = {
      method,
      url,
      status: response.status,
      headers: response.headers,
      text,
      json: parseJSON(text),
      ms: performance.now() - started,
    };
    options.onResponse(recorded);
    return recorded;
  }

  return {
    endpoint,
    send,
    record: (response) => options.onResponse(response),
    query(path, query = {}) {
      const params = [
        ...(query.input === undefined ? [] : [`input=${encodeURIComponent(JSON.stringify(query.input))}`]),
        ...(query.search === undefined ? [] : [query.search]),
      ];
      const search = params.length > 0 ? `?${params.join("&")}` : "";
      return send(`/api/trpc/${path}${search}`, { headers: headersFor(query) });
    },
    mutation(path, input, call) {
      const body = input === undefined ? null : JSON.stringify(input);
      return send(`/api/trpc/${path}`, { method: "POST", headers: { ...JSON_BODY, ...headersFor(call) }, body });
    },
    batch(paths, inputs, call) {
      const body = Object.fromEntries(inputs.map((input, index) => [String(index), input]));
      return send(`/api/trpc/${paths.join(",")}?batch=1`, {
        method: "POST",
        headers: { ...JSON_BODY, ...headersFor(call) },
        body: JSON.stringify(body),
      });
    },
  };
}
