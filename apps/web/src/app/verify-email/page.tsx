import type { Metadata } from "next";
import type { ReactNode } from "react";
import { VerifyEmailResult } from "../../components/verify-email-result.tsx";

// The response header says so too (next.config.ts); the meta tag covers a page served without it.
export const metadata: Metadata = { title: "Verify email", referrer: "no-referrer" };

export default function VerifyEmailPage(): ReactNode {
  return <VerifyEmailResult />;
}
