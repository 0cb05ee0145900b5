import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AccountView } from "../../components/account/account-view.tsx";

export const metadata: Metadata = { title: "Your account" };

export default function AccountPage(): ReactNode {
  return <AccountView />;
}
