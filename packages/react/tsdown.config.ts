import { defineLibraryConfig } from "../../tsdown.shared.ts";

export default defineLibraryConfig({ dir: import.meta.dirname });
