/** What a response body must never contain, by kind; each pattern names what it catches. */
export const LEAK_PATTERNS = {
  "stack trace": [
    // "at fn (/app/src/x.ts:12:3)" or "at /app/x.js:1:2", JSON-escaped or not.
    /\bat [^"\n]{0,200}?\.(?:[cm]?js|tsx?):\d+/,
    /node_modules/,
    /"stack"\s*:/,
  ],
  "SQL text": [
    /\bselect\b[^"]{0,200}?\bfrom\b/i,
    /\binsert into\b/i,
    /\bdelete from\b/i,
    /\bupdate\s+"?\w+"?\s+set\b/i,
    /syntax error at/i,
    /violates [a-z ]*constraint/i,
    /\brelation "\w+"/i,
  ],
  "password hash": [/\$argon2/],
} as const satisfies Record<string, readonly RegExp[]>;

/** "stack trace", "SQL text" or "password hash". */
export type LeakKind = keyof typeof LEAK_PATTERNS;
