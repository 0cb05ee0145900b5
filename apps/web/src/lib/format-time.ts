const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/**
 * "just now", "5 minutes ago", "2 days ago" for `date` relative to `now`.
 *
 * @example formatRelativeTime(new Date(Date.now() - 120_000)) // "2 minutes ago"
 */
export function formatRelativeTime(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(Math.round(seconds / 60), "minute");
}

/**
 * A date and time in the visitor's locale, e.g. "Nov 27, 10:41 PM".
 *
 * @example formatDateTime(new Date())
 */
export function formatDateTime(date: Date): string {
  return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
}

/**
 * A clock time with seconds, e.g. "10:41:07 PM": access tokens live minutes, not days.
 *
 * @example formatClockTime(session.expiresAt)
 */
export function formatClockTime(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit" });
}
