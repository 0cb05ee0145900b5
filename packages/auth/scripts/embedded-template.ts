/**
 * Builds the migrated PGlite template (see src/database/embedded-template.ts) in PGLITE_TEMPLATE_DIR, so
 * the first start of a fresh embedded database copies it instead of running initdb. Run at build
 * time; it does nothing when the template for the current migrations exists.
 */
import { ensureEmbeddedTemplate } from "../src/database/embedded-template.ts";
import { loadAuthEnv } from "../src/config/env.ts";

const env = loadAuthEnv();
const path = await ensureEmbeddedTemplate(env.PGLITE_TEMPLATE_DIR);
console.info(`auth: embedded database template ready at ${path}`);
