import type { IncomingMessage, ServerResponse } from "node:http";

const METHODS = ["GET", "POST"];
// `DPoP`: the proof a bound token comes with (RFC 9449), which a browser sends only if allowed.
const HEADERS = ["authorization", "content-type", "dpop"];

export type OriginCheck = "same-site-or-none" | "allowed" | "refused";

/**
 * Where a request comes from. No `Origin` header: not a cross-origin browser request (curl,
 * another server). Otherwise it must be exactly the web app's origin.
 */
export function checkOrigin(req: IncomingMessage, allowedOrigin: string): OriginCheck {
  const origin = req.headers.origin;
  if (origin === undefined) return "same-site-or-none";
  return origin === allowedOrigin ? "allowed" : "refused";
}

/** CORS headers for a response to the allowed origin. No credentials: the token travels in a header. */
export function corsHeaders(allowedOrigin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": allowedOrigin,
    // Lets the browser client read the challenge and tell "expired" from "sign in again", and
    // read the nonce a `use_dpop_nonce` refusal hands out, to sign the retry's proof with.
    "Access-Control-Expose-Headers": "WWW-Authenticate, DPoP-Nonce",
    Vary: "Origin",
  };
}

/**
 * Answers a preflight: 204 with the allowed method and headers when the allowed origin asks for
 * GET or POST with at most `Authorization`, `Content-Type` and `DPoP`; otherwise 403 without CORS
 * headers, which the browser reports as a CORS failure.
 */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowedOrigin: string): void {
  const method = req.headers["access-control-request-method"] ?? "";
  const requested = (req.headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  const ok =
    checkOrigin(req, allowedOrigin) === "allowed" && METHODS.includes(method) && requested.every((name) => HEADERS.includes(name));
  if (!ok) {
    res.writeHead(403, { Vary: "Origin", "Content-Length": "0" }).end();
    return;
  }
  res
    .writeHead(204, {
      ...corsHeaders(allowedOrigin),
      "Access-Control-Allow-Methods": METHODS.join(", "),
      "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP",
      "Access-Control-Max-Age": "600",
      "Content-Length": "0",
    })
    .end();
}
