let counter = 0;

/** A unique address per call, so tests sharing a database never collide. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** A password that meets the policy. */
export const TEST_PASSWORD = "correct horse battery";
