import { defineBackendsConfig } from "../../vitest.shared.ts";

export default defineBackendsConfig({ embeddedOnWorker: true });
