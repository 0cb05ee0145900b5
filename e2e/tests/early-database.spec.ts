import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { newUser } from "../support/new-user.ts";
import { spawnApp, waitForOutput } from "../support/spawn-app.ts";

// The built app opens its embedded database while Next.js prepares (scripts/early-database.mjs),
// on a worker thread, a fresh one after filling it from the template, and the API runs on that
// database, not on a second one: a unique violation still answers its own code, and a sign-out
// reaches the guard.
// A bad variable still stops the start with its name, and leaves the database closed and usable.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 23;
const origin = `http://127.0.0.1:${PORT}`;

test.describe("embedded database opened during start-up", () => {
  test("a first start and a restart serve the same data from the database opened early; a bad variable stops it cleanly", async ({ request }) => {
    test.setTimeout(180_000);
    const dataDir = join(mkdtempSync(join(tmpdir(), "bk-early-")), "pglite");
    const env = { PORT: String(PORT), PGLITE_DATA_DIR: dataDir };
    const user = newUser();

    // First start: a fresh directory, filled from the template by the start script.
    const first = spawnApp(["scripts/start.mjs"], env);
    await waitForOutput(first, /listening on/, 60_000);
    expect(first.output()).toMatch(/using embedded PGlite at .* \(opened during start-up, on a worker thread\)/);
    expect(first.output()).not.toMatch(/applied migrations/);
    expect((await request.post(`${origin}/api/trpc/auth.register`, { data: user })).status()).toBe(200);
    expect(await first.stop()).toBe(0);

    // A variable the app refuses, on the existing directory: the start script had begun opening it.
    const refused = spawnApp(["scripts/start.mjs"], { ...env, AUTH_TOKEN_LEEWAY: "10m" });
    expect(await refused.exited).not.toBe(0);
    expect(refused.output()).toMatch(/AUTH_TOKEN_LEEWAY: must be at most 5 minutes/);
    expect(refused.output()).not.toMatch(/listening on/);

    // Restart: opened early, taken over by the API, with the first run's user in it.
    const restart = spawnApp(["scripts/start.mjs"], env);
    try {
      await waitForOutput(restart, /listening on/, 60_000);
      expect(restart.output()).toMatch(/using embedded PGlite at .* \(opened during start-up, on a worker thread\)/);
      const signin = await request.post(`${origin}/api/trpc/auth.signin`, { data: { email: user.email, password: user.password } });
      expect(signin.status()).toBe(200);
      const again = await request.post(`${origin}/api/trpc/auth.register`, { data: user });
      expect((await again.json()).error.data.authCode).toBe("EMAIL_TAKEN");
      const { result } = (await signin.json()) as { result: { data: { accessToken: string } } };
      const authorization = { authorization: `Bearer ${result.data.accessToken}` };
      expect((await request.get(`${origin}/api/trpc/auth.me`, { headers: authorization })).status()).toBe(200);
      expect((await request.post(`${origin}/api/trpc/auth.logout`, { headers: authorization, data: {} })).status()).toBe(200);
      const afterLogout = await request.get(`${origin}/api/trpc/auth.me`, { headers: authorization });
      expect(afterLogout.status()).toBe(401);
    } finally {
      expect(await restart.stop()).toBe(0);
    }
  });
});
