import type { Metadata } from "next";
import type { ReactNode } from "react";
import { SigninForm } from "../../components/signin-form.tsx";

export const metadata: Metadata = { title: "Sign in" };

export default function SigninPage(): ReactNode {
  return <SigninForm />;
}
