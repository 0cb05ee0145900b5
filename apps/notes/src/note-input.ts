import { z } from "zod";

/** Longest note, in characters (code points). */
export const NOTE_MAX_LENGTH = 500;

// C0 and C1 controls, DEL, and line/paragraph separators: a note is one line of plain text, so
// nothing in it can break a log line, a terminal or the page that shows it.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/**
 * `POST /notes` body: `{ text }`, 1 to 500 characters after trimming, no control characters.
 * Unknown fields are ignored.
 */
export const noteInputSchema = z.object({
  text: z
    .string({ error: "Text is required." })
    // Checked before trimming, so a control character is refused wherever it is.
    .refine((text) => !CONTROL.test(text), { error: "Text must not contain control characters.", abort: true })
    // A lone surrogate (valid in JSON, not in UTF-8) would be stored as U+FFFD or fail the insert.
    .refine((text) => text.isWellFormed(), { error: "Text must be valid Unicode.", abort: true })
    .trim()
    .refine((text) => text.length > 0, { error: "Text is required." })
    .refine((text) => [...text].length <= NOTE_MAX_LENGTH, { error: `Text is at most ${NOTE_MAX_LENGTH} characters.` }),
});

export type NoteInput = z.infer<typeof noteInputSchema>;
