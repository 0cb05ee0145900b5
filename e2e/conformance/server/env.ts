/**
 * The only file of the conformance suite that touches `process.env`.
 *
 * The API decides when its module loads whether error responses carry stacks and internal
 * messages (`NODE_ENV !== "production"`), so the dev server sets the mode before importing it.
 *
 * @example setNodeEnv("production"); const api = await import("@bearer-kit/api");
 */
export function setNodeEnv(mode: "production" | "development"): void {
  process.env.NODE_ENV = mode;
}
