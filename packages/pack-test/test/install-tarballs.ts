import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const PACKAGES = resolve(import.meta.dirname, "../..");

export interface Packed {
  /** The temp directory (outside the repository) holding the tarballs and the apps. */
  root: string;
  /** Package name (`auth`) to tarball path. */
  tarballs: Record<string, string>;
  /** Tarball file name to size in bytes. */
  sizes: Record<string, number>;
  /** Seconds spent packing, which builds through `prepack`. */
  seconds: number;
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
 * `pnpm pack` for each package: its `prepack` builds dist, and pnpm turns `workspace:` and
 * `catalog:` into real versions (npm pack would leave them in).
 */
export async function packPackages(packages: string[]): Promise<Packed> {
  const root = await mkdtemp(join(tmpdir(), "bk-pack-test-"));
  const tarballDir = join(root, "tarballs");
  const started = performance.now();
  const tarballs: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  for (const name of packages) {
    await run("pnpm", ["pack", "--pack-destination", tarballDir], { cwd: join(PACKAGES, name), maxBuffer: 16 << 20 });
    const file = (await readdir(tarballDir)).find((candidate) => candidate.startsWith(`bearer-kit-${name}-`));
    if (!file) throw new Error(`pnpm pack left no tarball for ${name}`);
    tarballs[name] = join(tarballDir, file);
    sizes[file] = (await stat(tarballs[name])).size;
  }
  return { root, tarballs, sizes, seconds: elapsed(started) };
}

/**
 * `name@version` as the workspace has it installed for `workspacePackage`, so that an app's own
 * dependencies (react, tRPC) are the versions the packages were built and tested with.
 *
 * @example await workspaceSpec("react", "react") // "react@19.3.1"
 */
export async function workspaceSpec(workspacePackage: string, name: string): Promise<string> {
  const require = createRequire(join(PACKAGES, workspacePackage, "package.json"));
  const manifest = JSON.parse(await readFile(require.resolve(`${name}/package.json`), "utf8")) as { version: string };
  return `${name}@${manifest.version}`;
}

/**
 * A new app in an empty directory: the fixtures copied in, the tarballs installed with npm alone,
 * with `dependencies` (registry specs such as `react@19.3.1`) that an app adds itself.
 */
export async function installApp(options: {
  dir: string;
  tarballs: string[];
  fixtures: string[];
  dependencies?: string[];
}): Promise<{ seconds: number }> {
  await mkdir(options.dir, { recursive: true });
  await writeFile(join(options.dir, "package.json"), `${JSON.stringify({ name: "new-app", private: true, type: "module" }, null, 2)}\n`);
  for (const fixture of options.fixtures) {
    await copyFile(join(import.meta.dirname, "../fixtures", fixture), join(options.dir, fixture));
  }
  const started = performance.now();
  const specs = [...options.tarballs, ...(options.dependencies ?? [])];
  await run("npm", ["install", "--no-audit", "--no-fund", ...specs], { cwd: options.dir, env: cleanEnv(), maxBuffer: 16 << 20 });
  return { seconds: elapsed(started) };
}
