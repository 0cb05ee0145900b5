/**
 * A bounded map that evicts the least recently used entry. A `Map` keeps insertion order, so
 * re-inserting on use keeps the oldest first: eviction takes the first key.
 */
export class LRU<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Deletes every entry `match` returns true for. */
  deleteWhere(match: (value: V) => boolean): void {
    for (const [key, value] of this.#entries) if (match(value)) this.#entries.delete(key);
  }
}
