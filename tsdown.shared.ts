import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type UserConfig } from "tsdown";

/**
 * The export condition under which the workspace reads a package's TypeScript source instead of
 * its build: TypeScript (`customConditions`), Vitest, tsx (`--conditions`) and the demo's
 * Next.js config all name it. Outside the repository nobody sets it, so `import` (dist) wins.
 */
export const SOURCE_CONDITION = "@bearer-kit/source";

export interface LibraryConfigOptions {
  /** The package directory (`import.meta.dirname` of its tsdown.config.ts). */
  dir: string;
  /** Dependencies to inline into dist rather than leave to the consumer's install. */
  bundle?: string[];
}

type ExportTarget = string | Record<string, string>;

/** `./src/verify/index.ts` → `verify/index`, built to `dist/verify/index.js` and `.d.ts`. */
function entryName(source: string): string {
  const match = /^\.\/src\/(.+)\.ts$/.exec(source);
  if (!match?.[1]) throw new Error(`export source "${source}" must be a .ts file under ./src`);
  return match[1];
}

/**
 * The build entries, read from `package.json` `exports`: one export, one entry. Each export
 * must name its source and the dist files that source builds to, so the two never drift.
 */
export function libraryEntries(manifest: { exports: Record<string, ExportTarget> }): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (typeof target === "string") {
      // A bare "./src/x.ts" would ship TypeScript to Node; only plain files (./package.json) may be strings.
      if (target.endsWith(".ts")) throw new Error(`export "${subpath}" must be { "${SOURCE_CONDITION}", types, import }, not "${target}"`);
      continue;
    }
    const source = target[SOURCE_CONDITION];
    if (source === undefined) throw new Error(`export "${subpath}" has no "${SOURCE_CONDITION}" condition`);
    const name = entryName(source);
    const expected = { [SOURCE_CONDITION]: source, types: `./dist/${name}.d.ts`, import: `./dist/${name}.js` };
    if (JSON.stringify(target) !== JSON.stringify(expected)) {
      throw new Error(`export "${subpath}" must be ${JSON.stringify(expected)}`);
    }
    entries[name] = source;
  }
  return entries;
}

/**
 * One build setup for every publishable package: ESM and `.d.ts` for Node 20.19+, one entry per
 * `exports` subpath. Dependencies stay external (installed by the consumer) unless listed in `bundle`.
 */
export function defineLibraryConfig(options: LibraryConfigOptions): UserConfig {
  const manifest = JSON.parse(readFileSync(join(options.dir, "package.json"), "utf8")) as {
    exports: Record<string, ExportTarget>;
  };
  return defineConfig({
    cwd: options.dir,
    entry: libraryEntries(manifest),
    format: "esm",
    platform: "node",
    target: "node20.19",
    // `.js` and `.d.ts`: the packages are "type": "module".
    fixedExtension: false,
    dts: true,
    clean: true,
    outDir: "dist",
    // Anything else reaching into node_modules is a mistake: the build fails rather than ship it.
    deps: { alwaysBundle: options.bundle ?? [], onlyBundle: options.bundle ?? [] },
  });
}

export interface ServiceConfigOptions {
  /** The app directory (`import.meta.dirname` of its tsdown.config.ts). */
  dir: string;
  /** The entry under `src/`, built to `dist/<name>.js`. Default `main`. */
  entry?: string;
}

/**
 * The build of a runnable service (apps/notes): one ESM file per entry, `src/main.ts` to
 * `dist/main.js`, run by plain Node in production (`npm start`) so that no TypeScript loader is
 * on the start path. Its dependencies, workspace packages included, stay external: they are
 * installed next to it and resolve to their own dist builds under plain Node.
 */
export function defineServiceConfig(options: ServiceConfigOptions): UserConfig {
  const name = options.entry ?? "main";
  return defineConfig({
    cwd: options.dir,
    entry: { [name]: `./src/${name}.ts` },
    format: "esm",
    platform: "node",
    target: "node20.19",
    fixedExtension: false,
    // An app, not a library: nobody imports its types.
    dts: false,
    clean: true,
    outDir: "dist",
    deps: { alwaysBundle: [], onlyBundle: [] },
  });
}
