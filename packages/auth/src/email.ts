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

// Control characters (C0, DEL, C1) and whitespace of any kind (tab, U+0085, U+00A0, U+2028,
// U+3000, ...). PostgreSQL text cannot hold NUL at all, and the others are never part of a
// real address: they only make look-alike accounts. Checked after the ends are trimmed.
const SPACE_OR_CONTROL = /[\p{Cc}\p{White_Space}]/u;

/** An email as accepted at the edge: bounded, valid, and canonicalised. */
export const emailSchema = z
  .string()
  .max(254, "Email must be at most 254 characters")
  .transform(canonicalEmail)
  .pipe(
    z
      .string()
      .refine((email) => !SPACE_OR_CONTROL.test(email), { message: "Email must not contain spaces or control characters", abort: true })
      // A lone surrogate would be stored as U+FFFD: another address than the one typed.
      .refine((email) => email.isWellFormed(), { message: "Email must be valid Unicode", abort: true })
      // The Unicode pattern: internationalised local parts (zoë@…) are real addresses.
      .pipe(z.email({ pattern: z.regexes.unicodeEmail, message: "Enter a valid email address" })),
  );
