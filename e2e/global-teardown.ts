import { rm } from "node:fs/promises";

/** Removes this run's database directory (see playwright.config.ts). */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.BK_E2E_DATA_DIR;
  if (dir) await rm(dir, { recursive: true, force: true });
}
