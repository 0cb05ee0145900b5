import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/**
 * The zero-setup secret for the embedded database: generated once, kept beside the data
 * with mode 0600 and reused on every start, so tokens survive restarts.
 *
 * @example const secret = await embeddedSecret(".data/pglite", console.info);
 */
export async function embeddedSecret(dataDir: string, log: (message: string) => void): Promise<string> {
  const file = join(dirname(resolve(dataDir)), "auth-secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  // 64 random bytes: enough for HS512. `wx` fails if another process wrote it first; then read theirs.
  const secret = randomBytes(48).toString("base64url");
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    log(`auth: no AUTH_SECRET set; generated one at ${file} (mode 0600). Set AUTH_SECRET to choose your own.`);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(file, "utf8")).trim();
    throw error;
  }
}
