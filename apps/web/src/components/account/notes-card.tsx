"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useRef, useState } from "react";
import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { formText } from "../../lib/form-text.ts";
import { formatDateTime } from "../../lib/format-time.ts";
import { friendlyMessage } from "../../lib/friendly-message.ts";
import { addNote, listNotes, type Note, NOTE_MAX_LENGTH, NotesError } from "../../lib/notes/notes-client.ts";
import { Field } from "../field.tsx";
import { FormAlert } from "../form-alert.tsx";
import { SubmitButton } from "../submit-button.tsx";

// The notes service is another program: its failures are its own, and the session stays as it is.
const NOTES_MESSAGES: Record<string, string> = {
  TOKEN_EXPIRED: "The notes service did not accept your access token. Please try again.",
  TOKEN_INVALID: "The notes service did not accept your access token. Please try again.",
  JWKS_UNAVAILABLE: "The notes service can't check your sign-in right now. Please try again in a moment.",
  DATABASE_UNAVAILABLE: "The notes service is temporarily unavailable. Please try again in a moment.",
  INVALID_INPUT: "Please check your note.",
};
const NOTES_UNREACHABLE = "Can't reach the notes service right now. You are still signed in; please try again in a moment.";

function describe(error: unknown): AuthErrorInfo | null {
  return error instanceof NotesError ? error.info : null;
}

function notesMessage(info: AuthErrorInfo | null): string {
  if (info === null || info.network) return NOTES_UNREACHABLE;
  return friendlyMessage(info, NOTES_MESSAGES);
}

/**
 * The user's notes, kept by the separate notes service (apps/notes), which the browser calls
 * directly with the in-memory access token. An expired token is refreshed and the call retried
 * once; a status line says so.
 *
 * @example <NotesCard notesUrl="http://localhost:3001" userId={session.user.id} />
 */
export function NotesCard({ notesUrl, userId }: { notesUrl: string; userId: string }): ReactNode {
  const formRef = useRef<HTMLFormElement>(null);
  const queryClient = useQueryClient();
  // Keyed by user: another account signing in in this tab never sees these notes.
  const queryKey = ["notes", notesUrl, userId];
  const notes = useQuery({ queryKey, queryFn: () => listNotes(notesUrl), retry: false });
  const [notice, setNotice] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (text: string) => addNote(notesUrl, text),
    onMutate: () => setNotice(null),
    onSuccess: ({ data: note, refreshed }) => {
      formRef.current?.reset();
      queryClient.setQueryData(queryKey, (old: { data: Note[]; refreshed: boolean } | undefined) => ({
        data: [note, ...(old?.data ?? [])],
        refreshed: old?.refreshed ?? false,
      }));
      setNotice(refreshed ? "Your access token had expired; it was refreshed and the note saved." : null);
    },
  });
  const loadNotice = notes.data?.refreshed ? "Your access token had expired; it was refreshed and your notes loaded." : null;
  const addError = describe(add.error);
  const failure = add.error ? notesMessage(addError) : notes.error ? notesMessage(describe(notes.error)) : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.mutate(formText(new FormData(event.currentTarget), "text"));
  };

  return (
    <section className="card" aria-labelledby="notes-title">
      <div className="card-title-row">
        <h2 id="notes-title">Notes</h2>
        <button type="button" className="button button-ghost button-small" disabled={notes.isFetching} onClick={() => void notes.refetch()}>
          Reload notes
        </button>
      </div>
      <p className="muted">Kept by a separate notes service that trusts this app&apos;s access tokens.</p>
      <FormAlert message={failure} />
      {/* method="post": a submit before hydration never puts the note in a URL (see src/proxy.ts). */}
      <form ref={formRef} method="post" action="/account" className="form" onSubmit={onSubmit}>
        <Field
          form="notes"
          name="text"
          label="New note"
          type="text"
          autoComplete="off"
          required
          maxLength={NOTE_MAX_LENGTH}
          errors={addError?.fieldErrors.text}
        />
        <div className="form-actions">
          <SubmitButton pending={add.isPending}>Add note</SubmitButton>
        </div>
      </form>
      {notes.data && notes.data.data.length > 0 ? (
        <ul className="note-list" aria-label="Notes">
          {notes.data.data.map((note) => (
            <li key={note.id} className="note" data-testid="note">
              <p className="note-text">{note.text}</p>
              <p className="session-meta">
                <time dateTime={note.createdAt}>{formatDateTime(new Date(note.createdAt))}</time>
              </p>
            </li>
          ))}
        </ul>
      ) : notes.isSuccess ? (
        <p className="muted">No notes yet.</p>
      ) : null}
      {/* Polite and small: what happened to the token is worth knowing, not worth an alert. A
          live region present from the start (so it is announced), without role="status", which
          is the forms' confirmation messages' role. */}
      <p className="status-line" aria-live="polite" data-testid="notes-status">
        {notice ?? loadNotice ?? ""}
      </p>
    </section>
  );
}
