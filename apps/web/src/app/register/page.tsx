import type { Metadata } from "next";
import type { ReactNode } from "react";
import { RegisterForm } from "../../components/register-form.tsx";

export const metadata: Metadata = { title: "Create account" };

export default function RegisterPage(): ReactNode {
  return <RegisterForm />;
}
