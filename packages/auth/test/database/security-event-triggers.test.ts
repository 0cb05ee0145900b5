// The triggers of migration 0008: every session end is an event, written with the revocation and
// never without it, and the events receivers must hear wait for each of them.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { recordSecurityEvent } from "../../src/database/security-event-log.ts";
import { securityEventDeliveries, securityEventReceivers, securityEvents } from "../../src/database/schema.ts";
import { email, PASSWORD, useAuth } from "../fixture.ts";

const t = useAuth({ throttle: { registerMaxPerIp: 100_000 } });

async function signedUp() {
  return t.auth.register({ email: email("events"), password: PASSWORD, name: "Ann" }, { ipAddress: "203.0.113.9", userAgent: "UA/1" });
}

const eventsOf = (userId: string) => t.database.db.select().from(securityEvents).where(eq(securityEvents.userId, userId));

describe("security event triggers", () => {
  it("a session end writes one session_revoked event with its reason, device and address", async () => {
    const { user, session } = await signedUp();
    await t.auth.logout(session);
    await t.auth.logout(session); // already ended: no second event
    const revoked = (await eventsOf(user.id)).filter((event) => event.type === "session_revoked");
    expect(revoked).toEqual([
      expect.objectContaining({ sessionId: session.id, ipAddress: "203.0.113.9", userAgent: "UA/1", detail: { reason: "logout" } }),
    ]);
  });

  it("a rolled-back revocation writes none", async () => {
    const { user, session } = await signedUp();
    await t.database.db
      .transaction(async (tx) => {
        await tx.execute(`update bearer_kit.sessions set revoked_at = now(), revoked_reason = 'test' where id = '${session.id}'`);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect((await eventsOf(user.id)).filter((event) => event.type === "session_revoked")).toEqual([]);
  });

  it("queues feed events for every receiver, and not the user's own-eyes events", async () => {
    const receiver = randomUUID();
    await t.database.db.insert(securityEventReceivers).values({ id: receiver, name: `r-${receiver}`, credentialHash: receiver, createdAt: t.clock.now() });
    const { user, session } = await signedUp();
    const signin = await recordSecurityEvent(t.database.db, { userId: user.id, type: "signin", at: t.clock.now() });
    const changed = await recordSecurityEvent(t.database.db, { userId: user.id, type: "password_changed", at: t.clock.now() });
    await t.auth.logout(session);
    const queued = await t.database.db.select().from(securityEventDeliveries).where(eq(securityEventDeliveries.receiverId, receiver));
    const ids = queued.map((row) => row.eventId);
    expect(ids).toContain(changed);
    expect(ids).not.toContain(signin);
    expect(ids).toHaveLength(2); // the password change and the session end
    await t.database.db.delete(securityEventReceivers).where(eq(securityEventReceivers.id, receiver));
  });
});
