import { type Algorithm as Argon2Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";
import { AuthError } from "../errors.ts";
import type { PasswordParams } from "../config/options.ts";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.ts";

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password-policy.ts";

// Algorithm.Argon2id; the binding declares a const enum, which isolatedModules cannot inline.
const ARGON2ID = 2 as Argon2Algorithm;

/** Length in code points, so an emoji counts once, as a person counts it. */
function length(password: string): number {
  return [...password].length;
}

/**
 * Refuses passwords outside 8 to 256 characters. argon2 hashes every byte, so nothing
 * is silently truncated (unlike bcrypt's 72 bytes); the upper bound only caps hashing cost.
 */
export function assertPasswordPolicy(password: string, field = "password"): void {
  // Hashing would replace a lone surrogate with U+FFFD, so other passwords would match too.
  if (typeof password !== "string" || !password.isWellFormed()) {
    throw new AuthError("INVALID_INPUT", "Password must be valid Unicode.", {
      fieldErrors: { [field]: ["Must be valid Unicode"] },
    });
  }
  const size = length(password);
  if (size < PASSWORD_MIN_LENGTH) {
    throw new AuthError("WEAK_PASSWORD", `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`, {
      fieldErrors: { [field]: [`Must be at least ${PASSWORD_MIN_LENGTH} characters`] },
    });
  }
  if (size > PASSWORD_MAX_LENGTH) {
    throw new AuthError("INVALID_INPUT", `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`, {
      fieldErrors: { [field]: [`Must be at most ${PASSWORD_MAX_LENGTH} characters`] },
    });
  }
}

/** NFC, so the same password typed on different keyboards (composed or not) still matches. */
function normalise(password: string): string {
  return password.normalize("NFC");
}

export function hashPassword(password: string, params: PasswordParams): Promise<string> {
  return hash(normalise(password), { algorithm: ARGON2ID, ...params });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false; // a malformed stored hash verifies nothing
  }
}

/** True when the stored hash was made with other parameters: rehash it at the next sign-in. */
export function needsRehash(passwordHash: string, params: PasswordParams): boolean {
  try {
    const current = parseOptions(passwordHash);
    return (
      current.algorithm !== ARGON2ID ||
      current.memoryCost !== params.memoryCost ||
      current.timeCost !== params.timeCost ||
      current.parallelism !== params.parallelism
    );
  } catch {
    return true;
  }
}
