import { describe, expect, it } from "vitest";
import { clientAddress } from "../index.ts";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientAddress", () => {
  it("is null without x-forwarded-for", () => {
    expect(clientAddress(new Headers())).toBeNull();
    expect(clientAddress(new Headers(), 2)).toBeNull();
  });

  it("by default takes the rightmost entry, the one Next.js appended; anything left of it is the client's claim", () => {
    expect(clientAddress(xff("203.0.113.7"))).toBe("203.0.113.7");
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7"))).toBe("203.0.113.7");
  });

  it("skips one more entry from the right per trusted proxy", () => {
    // client -> load balancer (appends the client) -> Next.js (appends the balancer)
    expect(clientAddress(xff("6.6.6.6, 203.0.113.7, 10.0.0.2"), 1)).toBe("203.0.113.7");
    expect(clientAddress(xff("203.0.113.7, 10.0.0.3, 10.0.0.2"), 2)).toBe("203.0.113.7");
  });

  it("is null when there are fewer entries than trusted hops, rather than trusting the client's", () => {
    expect(clientAddress(xff("10.0.0.2"), 1)).toBeNull();
  });

  it("accepts IPv6 and strips ports and brackets", () => {
    expect(clientAddress(xff("2001:DB8::1"))).toBe("2001:db8::1");
    expect(clientAddress(xff("[2001:db8::1]:443"))).toBe("2001:db8::1");
    expect(clientAddress(xff("203.0.113.7:51234"))).toBe("203.0.113.7");
    expect(clientAddress(xff("::ffff:127.0.0.1"))).toBe("::ffff:127.0.0.1");
  });

  it("is null for an entry that is not an IP address, so junk never reaches the database", () => {
    expect(clientAddress(xff("unknown"))).toBeNull();
    expect(clientAddress(xff("1.2.3.4, "))).toBeNull();
    expect(clientAddress(xff(`1.2.3.4, ${"a".repeat(5000)}`))).toBeNull();
  });
});
