// The handle's type on its own, apart from `createDatabase`: what reads the database (the
// revocation feed included) names it, and `createDatabase` closes that feed, so the type must not
// sit in the same file as the opener.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema.ts";

export type AuthSchema = typeof schema;
/** The drizzle handle both backends share. */
export type AuthDB = PgDatabase<PgQueryResultHKT, AuthSchema>;
