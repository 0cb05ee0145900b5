import { describe, expect, it } from "vitest";
import { throttleAddress } from "./throttle-address.ts";

describe("throttleAddress", () => {
  it("keys an IPv6 address on its /64 by default, whatever its spelling", () => {
    const key = throttleAddress("2001:db8:0:1::1", 64);
    expect(key).toBe("2001:db8:0:1:0:0:0:0/64");
    for (const sameNetwork of ["2001:db8:0:1:ffff:ffff:ffff:ffff", "2001:0DB8:0000:0001:a:b:c:d", "[2001:db8:0:1::2]", "2001:db8:0:1::3%eth0"]) {
      expect(throttleAddress(sameNetwork, 64), sameNetwork).toBe(key);
    }
    expect(throttleAddress("2001:db8:0:2::1", 64)).not.toBe(key);
  });

  it("masks inside a group for prefixes that are not multiples of 16", () => {
    expect(throttleAddress("2001:db8:abcd:ffff::1", 56)).toBe("2001:db8:abcd:ff00:0:0:0:0/56");
    expect(throttleAddress("2001:db8:abcd:ffff::1", 33)).toBe("2001:db8:8000:0:0:0:0:0/33");
    expect(throttleAddress("2001:db8:abcd:12ff::1", 48)).toBe(throttleAddress("2001:db8:abcd:9900::2", 48));
  });

  it("keeps the full address at /128", () => {
    expect(throttleAddress("2001:db8::1", 128)).toBe("2001:db8:0:0:0:0:0:1/128");
    expect(throttleAddress("2001:db8::2", 128)).not.toBe(throttleAddress("2001:db8::1", 128));
  });

  it("counts an IPv4-mapped address as its IPv4 address, in either notation", () => {
    expect(throttleAddress("::ffff:192.0.2.1", 64)).toBe("192.0.2.1");
    expect(throttleAddress("::FFFF:c000:0201", 64)).toBe("192.0.2.1");
    expect(throttleAddress("0:0:0:0:0:ffff:192.0.2.1", 128)).toBe("192.0.2.1");
    expect(throttleAddress("192.0.2.1", 64)).toBe("192.0.2.1");
    // Only ::ffff:0:0/96 is mapped; the rest of ::/64 is IPv6.
    expect(throttleAddress("::fffe:192.0.2.1", 64)).toBe("0:0:0:0:0:0:0:0/64");
  });

  it("leaves text that is no IP address as it is", () => {
    for (const other of ["unknown", "192.0.2.1:443", "01.2.3.4", "fe80::1%", "2001:db8::1::2", "[::1", ""]) {
      expect(throttleAddress(other, 64), other).toBe(other);
    }
  });
});
