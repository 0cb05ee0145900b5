import type { IncomingMessage } from "node:http";

export type JSONBody =
  | { kind: "ok"; value: unknown }
  | { kind: "too-large" }
  | { kind: "malformed" }
  | { kind: "not-json" };

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Reads and parses a JSON request body, never past `maxBytes`. `content-length` alone is not
 * enough: a chunked body declares no length, so bytes are counted as they arrive.
 */
export async function readJSONBody(req: IncomingMessage, maxBytes: number): Promise<JSONBody> {
  // Refusing other types also keeps a cross-site <form> (text/plain) from ever being parsed.
  if (!JSON_TYPE.test(req.headers["content-type"] ?? "")) return { kind: "not-json" };
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return { kind: "too-large" };
  const body = await collect(req, maxBytes);
  if (body === null) return { kind: "too-large" };
  try {
    // fatal: invalid UTF-8 is malformed input, not text to repair.
    const text = new TextDecoder("utf-8", { fatal: true }).decode(body);
    return { kind: "ok", value: JSON.parse(text) };
  } catch {
    return { kind: "malformed" };
  }
}

/**
 * The body's bytes, or `null` once they pass `maxBytes`. It then stops reading without
 * destroying the request (breaking a for-await would), so a 413 can still be sent; the caller
 * closes the connection after it.
 */
function collect(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      resolve(null);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
    // A client gone mid-body: settle, so nothing waits on a request that will never end.
    req.once("close", () => reject(new Error("request closed before its body ended")));
  });
}
