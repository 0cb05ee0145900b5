import { rm } from "node:fs/promises";
import postgres from "postgres";
import { conformanceDatabase } from "./support/servers.ts";

/** Removes this run's databases: the PGlite directories and the PostgreSQL database. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env.BK_E2E_DATA_DIR;
  if (dir) await rm(dir, { recursive: true, force: true });
  const { adminUrl, name } = conformanceDatabase();
  if (!/^bk_e2e_\w+$/.test(name)) return;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
