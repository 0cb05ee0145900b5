/**
 * The PostgreSQL settings every embedded database runs with, on top of PGlite's own.
 *
 * `shared_buffers` is 16 MB, not PostgreSQL's 128 MB: PGlite zeroes all of its shared memory, in
 * WebAssembly on the opening thread, every time it opens. With 128 MB that was about a third of
 * a second of each start on a 2-core machine (docs/start.md), and 110 MB more memory. One process
 * with one connection needs far less: a page the pool does not hold is a file read away, and the
 * OS keeps recent files in memory anyway.
 */
export const EMBEDDED_SETTINGS: readonly string[] = ["-c", "shared_buffers=16MB"];

export interface EmbeddedDatabaseOptions {
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string | undefined;
  /** A data directory tarball to start from (see `PGlite.dumpDataDir`). */
  loadDataDir?: Blob | undefined;
}
