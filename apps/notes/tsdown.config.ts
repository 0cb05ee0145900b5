import { defineServiceConfig } from "../../tsdown.shared.ts";

export default defineServiceConfig({ dir: import.meta.dirname });
