import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, throttles } from "../../src/database/schema.ts";
import { codeOf } from "../codes.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth();

const rows = async (table: typeof sessions | typeof throttles) =>
  Number((await t.database.db.select({ n: count() }).from(table))[0]?.n);

describe("prune", () => {
  it("deletes ended throttle windows and long-ended sessions, and keeps everything still in use", async () => {
    const gone = await t.auth.register({ email: email(), password: PASSWORD, name: "Old" });
    const address = email();
    await t.auth.register({ email: address, password: PASSWORD, name: "Ann" });
    await codeOf(t.auth.signin({ email: address, password: "wrong password" }, { ipAddress: "192.0.2.1" }));
    await t.auth.logout(gone.session);
    expect(await t.auth.prune()).toMatchObject({ sessions: 0, throttles: 0 });

    t.clock.advance(16 * 60); // the throttle window (15m) has ended
    expect(await t.auth.prune()).toMatchObject({ throttles: 3 }); // account + address, account, address
    expect(await rows(throttles)).toBe(0);

    t.clock.advance(31 * 86_400); // the logged-out session ended over 30 days ago; the other idled out 24 days ago
    const live = await t.auth.signin({ email: address, password: PASSWORD });
    expect(await t.auth.prune()).toMatchObject({ sessions: 1, throttles: 0 });
    expect(await rows(sessions)).toBe(2);
    expect(await t.auth.checkBearerToken(live.accessToken)).not.toBeNull();
    await expect(t.auth.refresh(live.refreshToken)).resolves.toBeDefined();
  });
});
