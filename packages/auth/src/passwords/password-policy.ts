// The password policy's numbers. No imports: part of the client-safe entry, so a form's
// `minLength` and the server's check come from the same constants.

/**
 * Shortest accepted password, in characters (code points). Shorter: `WEAK_PASSWORD`.
 *
 * @example <input type="password" minLength={PASSWORD_MIN_LENGTH} maxLength={PASSWORD_MAX_LENGTH} />
 */
export const PASSWORD_MIN_LENGTH = 8;

/** Longest accepted password, in characters (code points); it only caps hashing cost. Longer: `INVALID_INPUT`. */
export const PASSWORD_MAX_LENGTH = 256;
