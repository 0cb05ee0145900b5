import { describe, expect, it } from "vitest";
import { clientAddress } from "../index.ts";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });
const none = new Headers();

describe("clientAddress", () => {
  it("is null when the host passed no peer address, whatever x-forwarded-for says", () => {
    expect(clientAddress({ peerAddress: undefined, headers: none })).toBeNull();
    expect(clientAddress({ peerAddress: null, headers: xff("203.0.113.7") })).toBeNull();
    expect(clientAddress({ peerAddress: "", headers: xff("203.0.113.7, 10.0.0.2"), trustedProxies: 1 })).toBeNull();
  });

  it("with no trusted proxies is the peer, and ignores x-forwarded-for entirely", () => {
    expect(clientAddress({ peerAddress: "203.0.113.7", headers: none })).toBe("203.0.113.7");
    expect(clientAddress({ peerAddress: "203.0.113.7", headers: xff("6.6.6.6") })).toBe("203.0.113.7");
    expect(clientAddress({ peerAddress: "203.0.113.7", headers: xff("6.6.6.6, 203.0.113.8"), trustedProxies: 0 })).toBe("203.0.113.7");
  });

  it("counts trusted proxies from the peer leftwards through x-forwarded-for", () => {
    // client -> load balancer (appends the client) -> app, whose peer is the balancer
    expect(clientAddress({ peerAddress: "10.0.0.2", headers: xff("6.6.6.6, 203.0.113.7"), trustedProxies: 1 })).toBe("203.0.113.7");
    // client -> CDN -> load balancer -> app
    expect(clientAddress({ peerAddress: "10.0.0.2", headers: xff("6.6.6.6, 203.0.113.7, 10.0.0.3"), trustedProxies: 2 })).toBe("203.0.113.7");
  });

  it("is null when there are fewer entries than trusted hops, rather than trusting the client's", () => {
    expect(clientAddress({ peerAddress: "10.0.0.2", headers: none, trustedProxies: 1 })).toBeNull();
    expect(clientAddress({ peerAddress: "10.0.0.2", headers: xff("10.0.0.3"), trustedProxies: 2 })).toBeNull();
  });

  it("accepts IPv6 and strips ports and brackets", () => {
    expect(clientAddress({ peerAddress: "2001:DB8::1", headers: none })).toBe("2001:db8::1");
    expect(clientAddress({ peerAddress: "::ffff:127.0.0.1", headers: none })).toBe("::ffff:127.0.0.1");
    const behind = (value: string) => clientAddress({ peerAddress: "10.0.0.2", headers: xff(value), trustedProxies: 1 });
    expect(behind("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(behind("203.0.113.7:51234")).toBe("203.0.113.7");
  });

  it("is null for an entry that is not an IP address, so junk never reaches the database", () => {
    expect(clientAddress({ peerAddress: "unknown", headers: none })).toBeNull();
    const behind = (value: string) => clientAddress({ peerAddress: "10.0.0.2", headers: xff(value), trustedProxies: 1 });
    expect(behind("unknown")).toBeNull();
    expect(behind("1.2.3.4, ")).toBeNull();
    expect(behind(`1.2.3.4, ${"a".repeat(5000)}`)).toBeNull();
  });
});
