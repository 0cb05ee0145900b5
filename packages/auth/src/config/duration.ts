const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const SPAN = /^(\d+)\s*(s|m|h|d)$/;
const SECONDS = /^\d+$/;

/** A duration: whole seconds, or a span such as `"90s"`, `"15m"`, `"1h"`, `"30d"`. */
export type Duration = number | string;

/**
 * Parses a duration into whole seconds; returns `null` when it is not one.
 *
 * @example parseDuration("15m") // 900
 */
export function parseDuration(value: Duration): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : null;
  const text = value.trim();
  if (SECONDS.test(text)) return parseDuration(Number(text));
  const match = SPAN.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return parseDuration(Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS]);
}
