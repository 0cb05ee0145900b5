import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

/**
 * A fresh PostgreSQL database for this run (dropped first if a previous run left it), and its
 * URL; `null`, with the reason, when the server cannot be reached.
 */
export async function freshPostgresDatabase(serverUrl: string, name: string): Promise<{ url: string } | { error: string }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString() };
}

/** An empty directory for a PGlite data dir, removed by `remove()`. */
export async function freshDataDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `bearer-kit-bench-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
