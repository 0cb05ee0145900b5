import type { NextConfig } from "next";

// Defence in depth for an app that holds credentials, on every response: no framing
// (clickjacking; older browsers), no MIME sniffing, no full URLs leaking to other origins, no
// window.opener handle for a page this one opens or is opened by, no use by other sites'
// pages, and no powerful features. The Content-Security-Policy (per-response nonce) and HSTS
// (https only) come from src/proxy.ts.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

const nextConfig: NextConfig = {
  // The workspace packages ship TypeScript source (with `.ts` import specifiers), not builds.
  transpilePackages: ["@bearer-kit/api", "@bearer-kit/auth"],
  // Native bindings, WebAssembly and socket pools: loaded by Node at run time, never bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  headers: async () => [{ source: "/:path*", headers: securityHeaders }],
};

export default nextConfig;
