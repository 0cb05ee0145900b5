// Embedded first start and restart: a child process opens a fresh PGlite data directory through
// createAuthFromEnv and starts an HTTP listener; the time is from spawning it to "listening".
// The template is built first, as `pnpm build` does, so the first start copies it.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ensureEmbeddedTemplate } from "../src/database/embedded-template.ts";

const CHILD = join(import.meta.dirname, "lib", "embedded-start-child.ts");
const PACKAGE_DIR = join(import.meta.dirname, "..");

/** Seconds from spawn to the child's "listening" line. */
function timeStart(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--conditions=@bearer-kit/source", "--import", "tsx", CHILD], {
      cwd: PACKAGE_DIR,
      // Only what is given: no DATABASE_URL and no AUTH_SECRET, the zero-setup embedded path. Node
      // is spawned by its own path, so the child needs no PATH either.
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let elapsed: number | undefined;
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (elapsed === undefined && chunk.toString().includes("listening")) elapsed = (performance.now() - started) / 1000;
    });
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (elapsed !== undefined) resolve(elapsed);
      else reject(new Error(`embedded start exited with ${code}: ${errors}`));
    });
  });
}

/**
 * Times a first start on a fresh data directory, then a restart on the same one.
 *
 * @example const { firstStartSeconds, restartSeconds } = await measureEmbeddedStart();
 */
export async function measureEmbeddedStart(): Promise<{ firstStartSeconds: number; restartSeconds: number }> {
  const root = await mkdtemp(join(tmpdir(), "bearer-kit-embedded-start-"));
  try {
    const env = { PGLITE_DATA_DIR: join(root, "data", "pglite"), PGLITE_TEMPLATE_DIR: join(root, "templates") };
    await ensureEmbeddedTemplate(env.PGLITE_TEMPLATE_DIR);
    const firstStartSeconds = await timeStart(env);
    const restartSeconds = await timeStart(env);
    return { firstStartSeconds, restartSeconds };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { firstStartSeconds, restartSeconds } = await measureEmbeddedStart();
  console.log(`embedded first start ${firstStartSeconds.toFixed(2)} s, restart ${restartSeconds.toFixed(2)} s`);
}
