import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { SiteHeader } from "../components/site-header.tsx";
import "./globals.css";
import { Providers } from "./providers.tsx";

export const metadata: Metadata = {
  title: { default: "bearer-kit", template: "%s · bearer-kit" },
  description: "Bearer-token authentication you can read, revoke and reuse.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f7fb" },
    { media: "(prefers-color-scheme: dark)", color: "#0d1117" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }): Promise<ReactNode> {
  // Rendered per request: every response carries a fresh CSP nonce (src/proxy.ts), which a
  // page prerendered at build time could not.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>
          <div className="shell">
            <SiteHeader />
            <main className="main">{children}</main>
            <footer className="site-footer">
              bearer-kit demo · access tokens in memory, refresh tokens in an httpOnly cookie
            </footer>
          </div>
        </Providers>
      </body>
    </html>
  );
}
