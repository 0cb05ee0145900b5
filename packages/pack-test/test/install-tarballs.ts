import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const PACKAGES = resolve(import.meta.dirname, "../..");

export interface Installed {
  /** An empty directory outside the repository, with the tarballs npm-installed into it. */
  appDir: string;
  /** Tarball file name to size in bytes. */
  tarballs: Record<string, number>;
  /** Seconds spent packing (which builds, through `prepack`) and installing. */
  seconds: { pack: number; install: number };
}

/**
 * The environment of a stranger's shell: no pnpm or npm settings inherited from the test
 * runner, and no NODE_OPTIONS (which could carry the workspace's source condition).
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|NODE_OPTIONS$|VITEST|TEST_)/i.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

const elapsed = (started: number) => Math.round((performance.now() - started) / 100) / 10;

/**
 * `pnpm pack` for each package (its `prepack` builds dist; pnpm turns `workspace:` and
 * `catalog:` into real versions), then `npm install` of the tarballs, as a new app would do.
 */
export async function packAndInstall(packages: string[], fixtures: string[]): Promise<Installed> {
  const root = await mkdtemp(join(tmpdir(), "bk-pack-test-"));
  const tarballDir = join(root, "tarballs");
  const appDir = join(root, "app");
  await mkdir(appDir, { recursive: true });

  let started = performance.now();
  for (const name of packages) {
    await run("pnpm", ["pack", "--pack-destination", tarballDir], { cwd: join(PACKAGES, name), maxBuffer: 16 << 20 });
  }
  const pack = elapsed(started);
  const files = (await readdir(tarballDir)).filter((file) => file.endsWith(".tgz"));
  const tarballs: Record<string, number> = {};
  for (const file of files) tarballs[file] = (await stat(join(tarballDir, file))).size;

  await writeFile(join(appDir, "package.json"), `${JSON.stringify({ name: "new-app", private: true, type: "module" }, null, 2)}\n`);
  for (const fixture of fixtures) {
    await copyFile(join(import.meta.dirname, "../fixtures", fixture), join(appDir, fixture));
  }
  started = performance.now();
  await run("npm", ["install", "--no-audit", "--no-fund", ...files.map((file) => join(tarballDir, file))], {
    cwd: appDir,
    env: cleanEnv(),
    maxBuffer: 16 << 20,
  });
  return { appDir, tarballs, seconds: { pack, install: elapsed(started) } };
}
