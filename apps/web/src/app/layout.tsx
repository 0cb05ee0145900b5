import type { Metadata, Viewport } from "next";
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

export default function RootLayout({ children }: { children: ReactNode }): ReactNode {
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
