import { getDevMailbox } from "../../../server/auth.ts";
import { devMailboxEnabled } from "../../../server/dev-mailbox-enabled.ts";
import { isLocalHost, isLoopbackAddress } from "../../../server/loopback.ts";
import { renderMailboxPage } from "../../../server/mailbox-page.ts";
import { peerAddressOf } from "../../../server/start-server.ts";

// The mailbox lives in this process's memory, and every request must be checked afresh.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A request from a browser on this machine. A proxy forwarding someone else's request names
 * them in X-Forwarded-For or X-Real-IP, and every name there must be this machine too. (Next.js
 * itself fills an absent X-Forwarded-For with the socket address, hence a list to check rather
 * than a header that must be missing.) `Forwarded` is not parsed: a request carrying one is refused.
 */
function fromThisMachine(req: Request): boolean {
  const forwardedFor = [req.headers.get("x-forwarded-for"), req.headers.get("x-real-ip")]
    .flatMap((value) => (value === null ? [] : value.split(",")))
    .map((entry) => entry.trim());
  if (req.headers.has("forwarded") || !forwardedFor.every((entry) => isLoopbackAddress(entry))) return false;
  return isLoopbackAddress(peerAddressOf(req)) && isLocalHost(req.headers.get("host"));
}

function notFound(): Response {
  return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * The demo mailbox: every message the app "sent" while no SMTP server is configured, with its
 * reset and verification links. Those links sign a person in, so the page exists only where
 * nobody else can read it: no SMTP_URL (a deployment that sends real mail never has it, see
 * devMailboxEnabled), a socket peer on this machine (the start server's header, which a client
 * cannot set), a `Host` naming this machine, and no proxy forwarding anyone else. Anything else
 * gets the same plain 404 as a path that does not exist.
 */
export async function GET(req: Request): Promise<Response> {
  if (!devMailboxEnabled() || !fromThisMachine(req)) return notFound();
  const mailbox = await getDevMailbox();
  if (mailbox === null) return notFound();
  // src/proxy.ts made this response's CSP nonce; the page's one style block carries it.
  const nonce = req.headers.get("x-nonce") ?? "";
  return new Response(renderMailboxPage(mailbox.list(), { nonce }), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // Links in here sign people in: never kept by a cache, never indexed.
      "Cache-Control": "no-store",
      "X-Robots-Tag": "noindex",
    },
  });
}
