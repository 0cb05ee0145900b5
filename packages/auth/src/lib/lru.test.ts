import { describe, expect, it } from "vitest";
import { LRU } from "./lru.ts";

describe("LRU", () => {
  it("never holds more than its bound", () => {
    const lru = new LRU<string, number>(3);
    for (let i = 0; i < 100; i++) lru.set(`k${i}`, i);
    expect(lru.size).toBe(3);
    expect(lru.get("k99")).toBe(99);
  });

  it("evicts an entry nobody read before one that was read since the last eviction", () => {
    const lru = new LRU<string, string>(3);
    lru.set("a", "A");
    lru.set("b", "B");
    lru.set("c", "C");
    lru.set("d", "D"); // nothing read yet: the oldest, a, goes
    expect(lru.get("a")).toBeUndefined();
    expect(lru.get("c")).toBe("C"); // c read, b not
    lru.set("e", "E");
    expect(lru.get("b")).toBeUndefined();
    expect([lru.get("c"), lru.get("d"), lru.get("e")]).toEqual(["C", "D", "E"]);
  });

  it("replaces a value in place, and deletes by key or by value", () => {
    const lru = new LRU<string, number>(3);
    lru.set("a", 1);
    lru.set("a", 2);
    lru.set("b", 3);
    expect(lru.size).toBe(2);
    expect(lru.get("a")).toBe(2);
    lru.deleteWhere((value) => value === 3);
    lru.delete("a");
    expect(lru.size).toBe(0);
  });
});
