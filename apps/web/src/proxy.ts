import { type NextRequest, NextResponse } from "next/server";
import { env } from "./env.ts";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy } from "./server/content-security-policy.ts";

const PUBLIC_HTTPS = new URL(env.APP_URL).protocol === "https:";
const DEV = env.NODE_ENV === "development";
// Scheme, host and port only: what connect-src compares, whatever path NOTES_URL carries.
const NOTES_ORIGIN = new URL(env.NOTES_URL).origin;
// One year; no includeSubDomains, which would bind sibling hosts this app does not control.
const HSTS = "max-age=31536000";

function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** HSTS and upgrade-insecure-requests follow where people are served, not the cookie setting. */
function servedOverHttps(request: NextRequest): boolean {
  if (PUBLIC_HTTPS) return true;
  return request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}

function forApi(): NextResponse {
  // The refresh cookie's Secure flag comes from the configuration (route.ts: secureCookie).
  const response = NextResponse.next();
  response.headers.set("Content-Security-Policy", API_CONTENT_SECURITY_POLICY);
  return response;
}

function forPage(request: NextRequest, https: boolean): NextResponse {
  // A credential form submitted before the page's JavaScript ran posts here (method="post").
  // Answer with a plain GET of the same page: the body is never read, nothing lands in a URL,
  // and the form simply shows again.
  if (request.method === "POST" && !request.headers.has("next-action")) {
    const url = request.nextUrl.clone();
    url.search = "";
    return NextResponse.redirect(url, 303);
  }
  const nonce = createNonce();
  const policy = contentSecurityPolicy({ nonce, dev: DEV, https, notesOrigin: NOTES_ORIGIN });
  const headers = new Headers(request.headers);
  // Next.js reads the nonce from the request's policy and puts it on the scripts it renders.
  headers.set("Content-Security-Policy", policy);
  headers.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

/**
 * Runs before every page request (not the API's: see `config`): a per-response CSP nonce,
 * HSTS over https, and a safe answer to a form posted before hydration.
 */
export function proxy(request: NextRequest): NextResponse {
  const https = servedOverHttps(request);
  const { pathname } = request.nextUrl;
  // The JWKS is a JSON document like the API's answers, not a page: the API's strict policy.
  const document = pathname === "/.well-known/jwks.json";
  const response = document ? forApi() : forPage(request, https);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Static assets are hashed files, not documents: they need no policy of their own. The API's
  // policy is static (next.config.ts); running the proxy for it would buffer request bodies.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
