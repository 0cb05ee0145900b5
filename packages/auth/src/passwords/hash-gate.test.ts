import { describe, expect, it } from "vitest";
import { AuthError } from "../errors.ts";
import { createHashGate, SERVER_BUSY_RETRY_AFTER } from "./hash-gate.ts";

/** A task the test finishes by hand, and a record of when it started. */
function manualTask(started: string[], name: string) {
  let finish: (value: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  const task = () =>
    new Promise<string>((resolve, reject) => {
      started.push(name);
      finish = resolve;
      fail = reject;
    });
  return { task, finish: (value = name) => finish(value), fail: (error: Error) => fail(error) };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("the hash gate", () => {
  it("runs at most `concurrency` tasks at once, the rest in arrival order", async () => {
    const gate = createHashGate({ concurrency: 2, queue: 10 });
    const started: string[] = [];
    const tasks = ["a", "b", "c", "d", "e"].map((name) => manualTask(started, name));
    const results = tasks.map((t) => gate.run(t.task));
    await settle();
    expect(started).toEqual(["a", "b"]);
    tasks[1]?.finish();
    await settle();
    expect(started).toEqual(["a", "b", "c"]);
    tasks[0]?.finish();
    tasks[2]?.finish();
    await settle();
    expect(started).toEqual(["a", "b", "c", "d", "e"]);
    tasks[3]?.finish();
    tasks[4]?.finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("refuses a task beyond the queue with SERVER_BUSY and a retryAfter, without running it", async () => {
    const gate = createHashGate({ concurrency: 1, queue: 1 });
    const started: string[] = [];
    const [running, queued, refused] = ["a", "b", "c"].map((name) => manualTask(started, name));
    if (!running || !queued || !refused) throw new Error("unreachable");
    const first = gate.run(running.task);
    const second = gate.run(queued.task);
    expect(() => gate.assertAdmissible()).toThrow(AuthError);
    const error = await gate.run(refused.task).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe("SERVER_BUSY");
    expect((error as AuthError).retryAfter).toBe(SERVER_BUSY_RETRY_AFTER);
    running.finish();
    await settle();
    queued.finish();
    expect([await first, await second]).toEqual(["a", "b"]);
    expect(started).toEqual(["a", "b"]);
    // Room again once the queue drained.
    expect(() => gate.assertAdmissible()).not.toThrow();
  });

  it("gives the slot back when a task fails", async () => {
    const gate = createHashGate({ concurrency: 1, queue: 0 });
    const started: string[] = [];
    const broken = manualTask(started, "broken");
    const failed = gate.run(broken.task);
    broken.fail(new Error("argon2 failed"));
    await expect(failed).rejects.toThrow("argon2 failed");
    const next = manualTask(started, "next");
    const result = gate.run(next.task);
    await settle();
    next.finish();
    expect(await result).toBe("next");
  });

  it("with concurrency 0, leaves one core free but always runs one task", async () => {
    const gate = createHashGate({ concurrency: 0, queue: 0 });
    const started: string[] = [];
    const only = manualTask(started, "only");
    const result = gate.run(only.task);
    await settle();
    expect(started).toEqual(["only"]);
    only.finish();
    expect(await result).toBe("only");
  });
});
