import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * The service's own table. `user_id` is the token's `sub`: the notes service never reads the
 * auth tables, and trusts the user id only because the web app signed it.
 */
export const notes = pgTable(
  "notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index("notes_user_id_created_at_idx").on(table.userId, table.createdAt)],
);
