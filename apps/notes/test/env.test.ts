import { describe, expect, it } from "vitest";
import { loadNotesEnv } from "../src/env.ts";

describe("loadNotesEnv", () => {
  it("defaults to the web app on localhost:3000, and treats empty values as unset", () => {
    expect(loadNotesEnv({ NOTES_PORT: "", NOTES_DATABASE_URL: "" })).toEqual({
      NOTES_PORT: 3001,
      HOSTNAME: "localhost",
      NOTES_PGLITE_DATA_DIR: ".data/pglite",
      NOTES_JWKS_URL: "http://localhost:3000/.well-known/jwks.json",
      NOTES_ISSUER: "bearer-kit",
      NOTES_AUDIENCE: "bearer-kit",
      NOTES_TOKEN_LEEWAY: "60s",
      NOTES_ALLOWED_ORIGIN: "http://localhost:3000",
    });
  });

  it.each([
    ["NOTES_PORT", "70000"],
    ["NOTES_ALLOWED_ORIGIN", "http://localhost:3000/"],
    ["NOTES_ALLOWED_ORIGIN", "*"],
    ["NOTES_JWKS_URL", "file:///jwks.json"],
    ["NOTES_DATABASE_URL", "mysql://db/notes"],
    ["NOTES_TOKEN_LEEWAY", "10m"],
    ["NOTES_URL", "notes.example"],
  ])("refuses %s=%s with a message naming it", (name, value) => {
    expect(() => loadNotesEnv({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });
});
