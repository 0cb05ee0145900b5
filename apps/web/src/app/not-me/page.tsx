import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NotMeForm } from "../../components/not-me-form.tsx";

// The link's token rides in the fragment; no Referer may carry the page's address anywhere either.
export const metadata: Metadata = { title: "This wasn't me", referrer: "no-referrer" };

export default function NotMePage(): ReactNode {
  return <NotMeForm />;
}
