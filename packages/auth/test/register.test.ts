import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type AuthError } from "../src/errors.ts";
import { users } from "../src/database/schema.ts";
import { codeOf } from "./codes.ts";
import { email, PASSWORD, useAuth } from "./fixture.ts";

const t = useAuth();

describe("register", () => {
  it("creates the account, signs it in, and stores the canonical email", async () => {
    const result = await t.auth.register({ email: "  Zoë.Smith@Example.COM ", password: PASSWORD, name: " Zoë " });
    expect(result.user).toMatchObject({ email: "zoë.smith@example.com", name: "Zoë" });
    expect(result.tokenType).toBe("Bearer");
    expect(await t.auth.checkBearerToken(result.accessToken)).toMatchObject(result.user);
    expect(result.user).not.toHaveProperty("passwordHash");
  });

  it("20 concurrent registrations of one address in different cases give exactly one account", async () => {
    const base = email("race");
    const variants = Array.from({ length: 20 }, (_, i) =>
      [...base].map((c, j) => ((i >> j % 5) & 1 ? c.toUpperCase() : c)).join(""),
    );
    const settled = await Promise.allSettled(
      variants.map((address) => t.auth.register({ email: address, password: PASSWORD, name: "Racer" })),
    );
    const won = settled.filter((s) => s.status === "fulfilled");
    const lost = settled.filter((s) => s.status === "rejected").map((s) => (s.reason as AuthError).code);
    expect(won).toHaveLength(1);
    expect(lost).toEqual(Array.from({ length: 19 }, () => "EMAIL_TAKEN"));
    const rows = await t.database.db.select().from(users).where(eq(users.email, base.toLowerCase()));
    expect(rows).toHaveLength(1);
  });

  it("refuses passwords under 8 (WEAK_PASSWORD) or over 256 characters (INVALID_INPUT), naming the field", async () => {
    const short = t.auth.register({ email: email(), password: "1234567", name: "A" });
    await expect(short).rejects.toMatchObject({ code: "WEAK_PASSWORD", fieldErrors: { password: [expect.any(String)] } });
    expect(await codeOf(t.auth.register({ email: email(), password: "x".repeat(257), name: "A" }))).toBe("INVALID_INPUT");
    // 256 emoji are 256 characters (512 UTF-16 units): allowed.
    await expect(t.auth.register({ email: email(), password: "🔑".repeat(256), name: "A" })).resolves.toBeDefined();
  });

  it("refuses a bad email or a missing name with INVALID_INPUT and field errors", async () => {
    await expect(t.auth.register({ email: "not-an-email", password: PASSWORD, name: "A" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      fieldErrors: { email: ["Enter a valid email address"] },
    });
    expect(await codeOf(t.auth.register({ email: email(), password: PASSWORD, name: "   " }))).toBe("INVALID_INPUT");
    expect(await codeOf(t.auth.register({ email: 42, password: PASSWORD, name: "A" } as never))).toBe("INVALID_INPUT");
    // NUL cannot be stored in PostgreSQL text: refused as input, never a database error.
    expect(await codeOf(t.auth.register({ email: email(), password: PASSWORD, name: "A\u0000B" }))).toBe("INVALID_INPUT");
    expect(await codeOf(t.auth.register({ email: email(), password: PASSWORD, name: "\uD800" }))).toBe("INVALID_INPUT");
  });

  it("never takes unknown fields such as id", async () => {
    const id = "00000000-0000-4000-8000-000000000001";
    const result = await t.auth.register({ email: email(), password: PASSWORD, name: "A", id } as never);
    expect(result.user.id).not.toBe(id);
  });
});
