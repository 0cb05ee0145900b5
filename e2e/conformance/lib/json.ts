/** Any JSON value: what forged headers and claims, and request inputs, are made of. */
export type JSONValue = string | number | boolean | null | JSONValue[] | { [key: string]: JSONValue };
/** A JSON object, e.g. a JOSE header or a claims set. */
export type JSONObject = { [key: string]: JSONValue };

/**
 * True for a plain JSON object (not an array, not null).
 *
 * @example isRecord(JSON.parse('{"a":1}')) // true
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `JSON.parse` that answers `undefined` for text that is not JSON, since bodies under test may not be.
 *
 * @example parseJSON("<html>") // undefined
 */
export function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
