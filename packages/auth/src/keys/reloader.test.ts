import { describe, expect, it } from "vitest";
import { createReloader } from "./reloader.ts";

/** A load the test finishes by hand, with what "the table" held when it was read. */
function manualLoads() {
  const pending: ((value: string) => void)[] = [];
  const load = () => new Promise<string>((resolve) => pending.push(resolve));
  const finish = (index: number, value: string) => pending[index]?.(value);
  return { load, finish, count: () => pending.length };
}

describe("createReloader", () => {
  it("never installs a copy read before an expire: the load reads again, and later callers do not join it", async () => {
    const loads = manualLoads();
    const keys = createReloader(loads.load);
    const first = keys.reload(); // reads the table while the key is still current...
    keys.expire(); // ...the retirement is announced...
    const second = keys.reload();
    expect(loads.count()).toBe(2); // a caller after the announcement gets a load of its own
    loads.finish(0, "trusts the retired key"); // ...and the first read comes back
    loads.finish(1, "retired");
    expect(await second).toBe("retired");
    // The first caller is answered by a read made after the announcement, not by its own.
    expect(await first).toBe("retired");
    expect(keys.current).toBe("retired");
  });

  it("shares one load between concurrent callers, and forgets the copy on expire", async () => {
    const loads = manualLoads();
    const keys = createReloader(loads.load);
    const both = Promise.all([keys.reload(), keys.reload()]);
    loads.finish(0, "v1");
    expect(await both).toEqual(["v1", "v1"]);
    expect(loads.count()).toBe(1);
    keys.expire();
    expect(keys.current).toBeUndefined();
  });

  it("lets a failed load be retried", async () => {
    let fail = true;
    const keys = createReloader(() => (fail ? Promise.reject(new Error("down")) : Promise.resolve("up")));
    await expect(keys.reload()).rejects.toThrow("down");
    fail = false;
    expect(await keys.reload()).toBe("up");
  });
});
