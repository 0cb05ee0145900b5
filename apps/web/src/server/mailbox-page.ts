import type { StoredMail } from "@bearer-kit/auth";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Mail bodies are user-influenced (names, addresses): everything is escaped before it is markup. */
function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function renderMessage(mail: StoredMail): string {
  const links = mail.links
    .map((link) => `<li><a href="${escapeHTML(link)}" rel="noreferrer">${escapeHTML(link)}</a></li>`)
    .join("");
  return `<article class="mail" aria-label="${escapeHTML(mail.subject)}">
  <h2>${escapeHTML(mail.subject)}</h2>
  <p class="meta">To <span data-testid="mail-to">${escapeHTML(mail.to)}</span> · <time datetime="${mail.sentAt.toISOString()}">${escapeHTML(mail.sentAt.toISOString().replace("T", " ").slice(0, 19))} UTC</time></p>
  ${links ? `<ul class="links">${links}</ul>` : ""}
  <pre>${escapeHTML(mail.text)}</pre>
</article>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 48rem; padding: 2rem 1rem; color: #1f2330; background: #f6f7fb; }
.notice { background: #fff7e0; border: 1px solid #e8c66a; border-radius: 8px; padding: .75rem 1rem; }
.mail { background: #fff; border: 1px solid #dde1ea; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
.mail h2 { font-size: 1.05rem; margin: 0; }
.meta { color: #5b6275; margin: .25rem 0 .5rem; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f7fb; padding: .75rem; border-radius: 6px; }
.links a { word-break: break-all; }
`;

/**
 * The demo mailbox as one HTML document, newest message first. Plain markup, no script: it
 * shows reset and verification links, so it stays as simple as it can be.
 *
 * @example new Response(renderMailboxPage(mailbox.list(), { nonce }), { headers: { "Content-Type": "text/html" } })
 */
export function renderMailboxPage(messages: readonly StoredMail[], options: { nonce: string }): string {
  const newestFirst = [...messages].sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime());
  const body =
    newestFirst.length === 0
      ? `<p data-testid="mailbox-empty">No messages yet. Register, ask for a password reset or change your email, then reload this page.</p>`
      : newestFirst.map(renderMessage).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>Demo mailbox · bearer-kit</title>
<style nonce="${escapeHTML(options.nonce)}">${STYLE}</style>
</head>
<body>
<h1>Demo mailbox</h1>
<p class="notice" role="note">This is a development mailbox. It exists only while no SMTP server is configured (<code>SMTP_URL</code> is unset), answers only requests from this machine, and forgets every message when the app restarts. Set <code>SMTP_URL</code> to send real mail; this page then answers 404.</p>
<p><a href="/account">Back to your account</a> · ${newestFirst.length} message${newestFirst.length === 1 ? "" : "s"}</p>
${body}
</body>
</html>`;
}
