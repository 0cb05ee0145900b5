import { z } from "zod";

/**
 * The canonical form of an address: trimmed, NFC-normalised and lower-cased. Uniqueness and
 * sign-in both use it, so `Ann@Example.com` and `ann@example.com` are one account.
 *
 * @example canonicalEmail("  Ann@Example.COM ") // "ann@example.com"
 */
export function canonicalEmail(email: string): string {
  return email.trim().normalize("NFC").toLowerCase();
}

/** An email as accepted at the edge: bounded, valid, and canonicalised. */
export const emailSchema = z
  .string()
  .max(254, "Email must be at most 254 characters")
  .transform(canonicalEmail)
  // The Unicode pattern: internationalised local parts (zoë@…) are real addresses.
  .pipe(z.email({ pattern: z.regexes.unicodeEmail, message: "Enter a valid email address" }));
