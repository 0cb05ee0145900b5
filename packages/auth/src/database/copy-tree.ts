import { copyFile, mkdir, readdir } from "node:fs/promises";
import { join, relative } from "node:path";

/**
 * Copies a folder's tree, the files in parallel. A PGlite data directory is about a thousand
 * small files, and `fs.cp` copies them one after the other: most of its time is per-file waits
 * that libuv's thread pool can overlap.
 */
export async function copyTree(source: string, target: string): Promise<void> {
  const entries = await readdir(source, { recursive: true, withFileTypes: true });
  const path = (entry: { parentPath: string; name: string }) => relative(source, join(entry.parentPath, entry.name));
  await mkdir(target, { recursive: true });
  // Parents sort before their children, so each mkdir finds its parent made.
  for (const dir of entries.filter((entry) => entry.isDirectory()).map(path).sort()) await mkdir(join(target, dir));
  await Promise.all(entries.filter((entry) => entry.isFile()).map((entry) => copyFile(join(source, path(entry)), join(target, path(entry)))));
}
