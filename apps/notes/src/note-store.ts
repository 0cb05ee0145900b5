import { desc, eq } from "drizzle-orm";
import type { NotesDB } from "./database.ts";
import { notes } from "./schema.ts";

export interface Note {
  id: string;
  text: string;
  createdAt: Date;
}

export interface NoteStore {
  /** The user's newest notes first, at most `LIST_LIMIT`. */
  list(userId: string): Promise<Note[]>;
  add(userId: string, text: string): Promise<Note>;
}

/** A page, not the whole table: a response's size stays bounded whatever a user stored. */
export const LIST_LIMIT = 100;

const columns = { id: notes.id, text: notes.text, createdAt: notes.createdAt };

/**
 * Notes, always scoped to one user: every query filters on the caller's `sub`.
 *
 * @example await createNoteStore(db).add(claims.sub, "buy milk")
 */
export function createNoteStore(db: NotesDB): NoteStore {
  return {
    list: (userId) =>
      db
        .select(columns)
        .from(notes)
        .where(eq(notes.userId, userId))
        .orderBy(desc(notes.createdAt), desc(notes.id))
        .limit(LIST_LIMIT),
    async add(userId, text) {
      const [note] = await db.insert(notes).values({ userId, text }).returning(columns);
      if (!note) throw new Error("insert returned no row");
      return note;
    },
  };
}
