import { AuthError } from "../errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a UUID as this package writes them: lower case, so ids compare equal as strings too. */
export function isUUID(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * Throws `INVALID_INPUT` naming `field` unless `value` is a UUID. Ids are checked before any
 * query, since PostgreSQL answers a malformed one with a cast error, which is no answer to give.
 */
export function assertUUID(value: unknown, field: string): asserts value is string {
  if (!isUUID(value)) {
    throw new AuthError("INVALID_INPUT", `\`${field}\` must be a UUID.`, { fieldErrors: { [field]: ["Must be a UUID"] } });
  }
}
