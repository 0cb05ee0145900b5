"use client";

import type { ReactNode } from "react";
import { useHydrated } from "../lib/use-hydrated.ts";

/**
 * The primary button of a form. Disabled until the page has hydrated, so nothing submits the
 * form before its handler exists, and while `pending`. Its name never changes while busy, so
 * it stays findable.
 *
 * @example <SubmitButton pending={mutation.isPending}>Sign in</SubmitButton>
 */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }): ReactNode {
  const hydrated = useHydrated();
  return (
    <button type="submit" className="button button-primary button-block" disabled={pending || !hydrated} aria-busy={pending}>
      {pending ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
