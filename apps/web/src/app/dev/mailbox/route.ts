import { env } from "../../../env.ts";
import { getDevMailbox } from "../../../server/auth.ts";
import { devMailboxEnabled } from "../../../server/dev-mailbox-enabled.ts";
import { isLocalHost, isLoopbackAddress } from "../../../server/loopback.ts";
import { renderMailboxPage } from "../../../server/mailbox-page.ts";
import { peerAddressOf } from "../../../server/start-server.ts";

// The mailbox lives in this process's memory, and every request must be checked afresh.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const APP_HOSTNAME = new URL(env.APP_URL).hostname;

function notFound(): Response {
  return new Response("Not Found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * The demo mailbox: every message the app "sent" while no SMTP server is configured, with its
 * reset and verification links. Those links sign a person in, so the page exists only where
 * nobody else can read it: no SMTP_URL (a deployment that sends real mail never has it), a
 * socket peer on this machine (the start server's header, which a client cannot set), and a
 * `Host` naming this machine. Anything else gets the same plain 404 as a path that does not exist.
 */
export async function GET(req: Request): Promise<Response> {
  if (!devMailboxEnabled()) return notFound();
  if (!isLoopbackAddress(peerAddressOf(req)) || !isLocalHost(req.headers.get("host"), APP_HOSTNAME)) return notFound();
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
