import type { NextConfig } from "next";

// Defence in depth for an app that holds credentials: no framing (clickjacking), no MIME
// sniffing, no full URLs leaking to other origins.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
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
