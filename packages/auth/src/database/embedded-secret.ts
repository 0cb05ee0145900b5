import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

/**
 * The zero-setup secret for the embedded database: generated once, kept beside the data
 * with mode 0600 and reused on every start, so tokens survive restarts.
 *
 * Processes starting together agree on one secret: it is written in full to a temporary file,
 * which is then hard-linked to its final name. The link is atomic and fails if the name exists,
 * so a reader never sees a half-written file and exactly one writer wins; the others read its secret.
 *
 * @example const secret = await embeddedSecret(".data/pglite", console.info);
 */
export async function embeddedSecret(dataDir: string, log: (message: string) => void): Promise<string> {
  const file = join(dirname(resolve(dataDir)), "auth-secret");
  const existing = await readSecret(file);
  if (existing !== null) return existing;
  await mkdir(dirname(file), { recursive: true });
  // 48 random bytes make 64 base64url characters, and the key is the text's UTF-8 bytes:
  // 64 bytes, enough for HS512.
  const secret = randomBytes(48).toString("base64url");
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeDurably(temporary, `${secret}\n`);
    try {
      await link(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // Another process won; its file was complete before it got the name.
      const theirs = await readSecret(file);
      if (theirs === null) throw error;
      return theirs;
    }
  } finally {
    await rm(temporary, { force: true });
  }
  log(`auth: no AUTH_SECRET set; generated one at ${file} (mode 0600). Set AUTH_SECRET to choose your own.`);
  return secret;
}

/** The stored secret, or `null` when there is none yet. */
async function readSecret(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const secret = text.trim();
  // Only an older version, interrupted between creating and writing the file, leaves it empty.
  // Signing with an empty key would be worse than not starting.
  if (!secret) throw new Error(`auth: the secret file ${file} is empty; delete it to generate a new secret, or set AUTH_SECRET`);
  return secret;
}

/** Writes a new file readable only by its owner, flushed to disk before it is given its name. */
async function writeDurably(file: string, content: string): Promise<void> {
  const handle = await open(file, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
