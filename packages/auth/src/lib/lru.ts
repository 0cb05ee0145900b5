/**
 * A bounded map that evicts entries not used recently, by the second-chance (CLOCK) rule.
 *
 * A hit only sets a flag. Moving the key to the end of the `Map` on every hit (delete, then
 * set) is the textbook LRU, but V8 makes that cost ~11 µs once the map holds a few thousand
 * keys, twenty times a whole cached token check. Eviction walks from the oldest insertion
 * instead: a used entry gets a second chance (flag cleared, moved to the end), an unused one
 * goes. Amortised O(1), and a key read since it was last passed over is never the one evicted.
 */
export class LRU<K, V> {
  readonly #entries = new Map<K, { value: V; used: boolean }>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      entry.value = value;
      entry.used = true;
      return;
    }
    // Born used: otherwise, with every other entry used, the new key would be the first to go.
    this.#entries.set(key, { value, used: true });
    while (this.#entries.size > this.#max) this.#evictOne();
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Deletes every entry `match` returns true for. */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, entry] of this.#entries) if (match(entry.value)) this.#entries.delete(key);
  }

  #evictOne(): void {
    // Ends: every pass clears the flags it meets, so within size + 1 steps an unused entry is first.
    for (;;) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) return;
      const [key, entry] = oldest.value;
      this.#entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.#entries.set(key, entry);
    }
  }
}
