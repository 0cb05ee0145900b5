import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import type { NextConfig } from "next";

const require = createRequire(import.meta.url);

/**
 * The workspace packages build to dist for npm, but the demo compiles their TypeScript source, so
 * `pnpm dev` reloads on every edit and nothing needs building first. Turbopack has no setting for
 * extra export conditions, so each export's "@bearer-kit/source" target becomes an alias.
 */
function sourceAliases(packages: string[]): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const name of packages) {
    const manifestPath = require.resolve(`${name}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports: Record<string, string | Record<string, string>> };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const source = typeof target === "string" ? undefined : target["@bearer-kit/source"];
      if (source === undefined) continue;
      // Turbopack reads relative aliases from the app directory.
      aliases[`${name}${subpath.slice(1)}`] = `./${relative(import.meta.dirname, join(dirname(manifestPath), source))}`;
    }
  }
  return aliases;
}

const WORKSPACE_PACKAGES = ["@bearer-kit/api", "@bearer-kit/auth", "@bearer-kit/react"];

// Defence in depth for an app that holds credentials, on every response: no framing
// (clickjacking; older browsers), no MIME sniffing, no full URLs leaking to other origins, no
// window.opener handle for a page this one opens or is opened by, no use by other sites'
// pages, and no powerful features but passkeys, for this origin's own pages only (the defaults
// already say so; spelled out, so no frame could ever be given them). The Content-Security-Policy
// (per-response nonce) and HSTS (https only) come from src/proxy.ts: WebAuthn calls stay on the
// page's own origin and need no CSP source.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)",
  },
];

const NO_REFERRER_PAGES = ["/reset-password", "/verify-email", "/not-me", "/dev/mailbox"];

const nextConfig: NextConfig = {
  // Compiled from TypeScript source (with `.ts` import specifiers), not from their dist builds.
  transpilePackages: WORKSPACE_PACKAGES,
  turbopack: { resolveAlias: sourceAliases(WORKSPACE_PACKAGES) },
  // Native bindings, WebAssembly and socket pools: loaded by Node at run time, never bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  headers: async () => [
    { source: "/:path*", headers: securityHeaders },
    // The API answers JSON, never a document: nothing may load from it or frame it. Set here,
    // not in src/proxy.ts, so API requests skip the proxy, which would buffer up to 10 MB of
    // every request body before the API's own 64 KB limit could refuse it.
    // Spelled out: next.config.ts is loaded by Node, which cannot import the app's TypeScript.
    // The same value as API_CONTENT_SECURITY_POLICY (src/server/content-security-policy.ts).
    { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    // Pages that handle a link's token (in the URL fragment, which browsers never send) or list
    // such links: no Referer at all, not even the origin, for anything they load or link to.
    // After the general entry above: for the same header, Next.js keeps the last match.
    ...NO_REFERRER_PAGES.map((source) => ({ source, headers: [{ key: "Referrer-Policy", value: "no-referrer" }] })),
  ],
};

export default nextConfig;
