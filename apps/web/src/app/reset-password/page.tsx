import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ResetPasswordForm } from "../../components/reset-password-form.tsx";

// The response header says so too (next.config.ts); the meta tag covers a page served without it.
export const metadata: Metadata = { title: "Set a new password", referrer: "no-referrer" };

export default function ResetPasswordPage(): ReactNode {
  return <ResetPasswordForm />;
}
