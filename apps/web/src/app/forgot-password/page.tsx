import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ForgotPasswordForm } from "../../components/forgot-password-form.tsx";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage(): ReactNode {
  return <ForgotPasswordForm />;
}
