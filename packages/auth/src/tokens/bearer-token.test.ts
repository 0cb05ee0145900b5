import { createServer, type IncomingMessage } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { describe, expect, it } from "vitest";
import { bearerToken } from "./bearer-token.ts";

const TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
const headers = (authorization: string) => new Headers({ authorization });

/** What `bearerToken` reads from a real `node:http` request, sent byte for byte over a socket. */
async function tokenOverNodeHTTP(headerLines: string[]): Promise<string | null> {
  let seen: string | null = null;
  const server = createServer((req: IncomingMessage, res) => {
    seen = bearerToken(req);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const socket = connect(port, "127.0.0.1");
  socket.write(["GET / HTTP/1.1", "Host: localhost", "Connection: close", ...headerLines, "", ""].join("\r\n"));
  socket.resume();
  await new Promise((resolve) => socket.on("close", resolve));
  await new Promise((resolve) => server.close(resolve));
  return seen;
}

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

  it("reads a plain node:http request with one Authorization line", async () => {
    expect(await tokenOverNodeHTTP([`Authorization: Bearer ${TOKEN}`])).toBe(TOKEN);
  });

  it("returns null for a plain node:http request with two Authorization lines, though req.headers keeps one", async () => {
    const other = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyIn0.b3RoZXI";
    expect(await tokenOverNodeHTTP([`Authorization: Bearer ${TOKEN}`, `authorization: Bearer ${other}`])).toBeNull();
    expect(await tokenOverNodeHTTP([`Authorization: Bearer ${TOKEN}`, "Authorization: Bearer "])).toBeNull();
  });
});
