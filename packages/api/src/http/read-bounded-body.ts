/** The body of a request, read in full but never past `maxBytes`. */
export type BoundedBody = { kind: "ok"; body: Uint8Array<ArrayBuffer> | null } | { kind: "too-large" };

/**
 * Reads `req`'s body while counting bytes, and stops as soon as the count passes `maxBytes`.
 * `content-length` alone is not enough: a chunked body declares no length, and the declared
 * length of a streamed one is only a claim.
 */
export async function readBoundedBody(req: Request, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Cancelled, not left unread: behind toNodeListener an unread body stalls the keep-alive
    // socket, and the client's next request on it hangs until the server drops the connection.
    await req.body?.cancel().catch(() => {});
    return { kind: "too-large" };
  }
  if (req.body === null) return { kind: "ok", body: null };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { kind: "too-large" };
    }
    chunks.push(value);
  }
  const body = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { kind: "ok", body };
}
