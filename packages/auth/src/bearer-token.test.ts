import { describe, expect, it } from "vitest";
import { bearerToken } from "./bearer-token.ts";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
const headers = (authorization: string) => new Headers({ authorization });

describe("bearerToken", () => {
  it("reads the token from a Request, Headers, a Node request or a plain record", () => {
    expect(bearerToken(new Request("http://x/", { headers: { Authorization: `Bearer ${TOKEN}` } }))).toBe(TOKEN);
    expect(bearerToken(headers(`Bearer ${TOKEN}`))).toBe(TOKEN);
    expect(bearerToken({ headers: { authorization: `Bearer ${TOKEN}` } })).toBe(TOKEN);
    expect(bearerToken({ authorization: `Bearer ${TOKEN}` })).toBe(TOKEN);
  });

  it("treats the scheme case-insensitively", () => {
    expect(bearerToken(headers(`bearer ${TOKEN}`))).toBe(TOKEN);
    expect(bearerToken(headers(`BEARER ${TOKEN}`))).toBe(TOKEN);
  });

  it.each([
    ["no header", ""],
    ["no scheme", TOKEN],
    ["another scheme", `Basic ${TOKEN}`],
    ["nothing after Bearer", "Bearer"],
    ["only spaces after Bearer", "Bearer    "],
    ["an extra word", `Bearer ${TOKEN} extra`],
    ["two tokens", `Bearer ${TOKEN}, Bearer ${TOKEN}`],
    ["characters outside b64token", `Bearer ${TOKEN}<script>`],
    ["an oversized token", `Bearer ${"a".repeat(8192)}`],
  ])("returns null for %s", (_label, value) => {
    expect(bearerToken(headers(value))).toBeNull();
  });

  it("returns null when a Node request carries two Authorization headers", () => {
    expect(bearerToken({ headers: { authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] } })).toBeNull();
  });
});
