const UNITS: [string, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/**
 * A span as people say it: "5 seconds", "15 minutes", "1 hour". Whole hours and days only;
 * anything else is counted in minutes, rounded up, so a wait is never understated.
 *
 * @example formatDuration(900) // "15 minutes"
 */
export function formatDuration(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  for (const [unit, size] of UNITS) {
    if (whole < size || (whole % size !== 0 && unit !== "minute")) continue;
    const count = Math.ceil(whole / size);
    return `${count} ${unit}${count === 1 ? "" : "s"}`;
  }
  return `${whole} second${whole === 1 ? "" : "s"}`;
}
