/** What the policy depends on for one response. */
export interface PolicyOptions {
  /** Fresh per response; Next.js puts it on every script and style it renders. */
  nonce: string;
  /** `next dev` evaluates code for its error overlay and injects styles without a nonce. */
  dev: boolean;
  /** Served over https: ask the browser to upgrade any stray http subresource. */
  https: boolean;
  /** The notes service's origin (from `NOTES_URL`), the one other place the browser may call. */
  notesOrigin: string;
}

/**
 * The Content-Security-Policy of every page. Scripts run only with this response's nonce (and
 * what those scripts load, `'strict-dynamic'`), so injected markup cannot run code. `connect-src`
 * is the app itself plus the notes service, which /account calls with the access token: an
 * exact origin, never a wildcard, so a script still cannot send the token anywhere else. No
 * plugins, no `<base>`, forms post only here, and no other site may frame it.
 *
 * @example response.headers.set("Content-Security-Policy", contentSecurityPolicy({ nonce, dev: false, https: true, notesOrigin }));
 */
export function contentSecurityPolicy(options: PolicyOptions): string {
  const { nonce, dev, https, notesOrigin } = options;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // A nonce disables 'unsafe-inline'; development needs the latter for the overlay's styles.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${notesOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** For API responses: JSON, never a document, so nothing at all may load or frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
