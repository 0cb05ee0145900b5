import { defineLibraryConfig } from "../../tsdown.shared.ts";

export default defineLibraryConfig({
  dir: import.meta.dirname,
  // postgres.js is inlined so that our patch (patches/postgres@3.4.9.patch: a write after the
  // socket closed killed the process) ships inside dist instead of staying in this repository.
  bundle: ["postgres"],
});
