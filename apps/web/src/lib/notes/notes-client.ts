import type { AuthErrorInfo } from "@bearer-kit/react/client";
import { sessionClient } from "../session-client.ts";

/** The notes service's limit (apps/notes/src/note-input.ts), repeated so the field can say it. */
export const NOTE_MAX_LENGTH = 500;

/** One note as the service sends it. */
export interface Note {
  id: string;
  text: string;
  /** ISO 8601. */
  createdAt: string;
}

// Plain structural checks, not zod: zod probes `new Function` for speed, which this page's CSP
// refuses (script-src without 'unsafe-eval') and reports as a violation.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function asNote(value: unknown): Note | null {
  if (!isRecord(value)) return null;
  const { id, text, createdAt } = value;
  return typeof id === "string" && typeof text === "string" && typeof createdAt === "string" ? { id, text, createdAt } : null;
}

function asNoteList(body: unknown): Note[] | null {
  if (!isRecord(body) || !Array.isArray(body.notes)) return null;
  const notes = body.notes.map(asNote);
  return notes.every((note) => note !== null) ? notes : null;
}

const asAddedNote = (body: unknown): Note | null => (isRecord(body) ? asNote(body.note) : null);

function asFieldErrors(value: unknown): Record<string, string[]> {
  if (!isRecord(value)) return {};
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) fieldErrors[field] = messages.filter((m): m is string => typeof m === "string");
  }
  return fieldErrors;
}

/** A call's answer, and whether the access token had to be refreshed on the way. */
export interface NotesResult<T> {
  data: T;
  refreshed: boolean;
}

/** A failed call, described as the app's own `AuthErrorInfo` so `friendlyMessage` can word it. */
export class NotesError extends Error {
  readonly info: AuthErrorInfo;
  constructor(info: AuthErrorInfo) {
    super(info.code ?? (info.network ? "notes service unreachable" : `notes service answered ${info.httpStatus ?? "?"}`));
    this.name = "NotesError";
    this.info = info;
  }
}

interface NotesRequest {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

// A hung service must not leave the card spinning for ever.
const TIMEOUT_MS = 10_000;
const UNREACHABLE: AuthErrorInfo = { code: null, httpStatus: null, fieldErrors: {}, retryAfter: null, network: true };

async function readError(response: Response): Promise<AuthErrorInfo> {
  // Parsed, not trusted: a proxy in front of the service may answer in any shape.
  const body: unknown = await response.json().catch(() => null);
  const error = isRecord(body) && isRecord(body.error) ? body.error : {};
  const data = isRecord(error.data) ? error.data : {};
  return {
    code: typeof data.authCode === "string" ? data.authCode : null,
    httpStatus: response.status,
    fieldErrors: asFieldErrors(data.fieldErrors),
    retryAfter: null,
    network: false,
  };
}

async function send(url: string, init: NotesRequest, token: string): Promise<Response> {
  try {
    // The token goes in a header, never a cookie: the service gets no ambient credential, so
    // no other site can make the browser call it on the user's behalf. Under the scheme the
    // session was issued: a DPoP-bound token goes with a proof for this URL, signed by the key
    // only this browser holds, so a copy of it is useless to the notes service too.
    return await sessionClient.fetchWithToken(
      url,
      { ...init, credentials: "omit", cache: "no-store", signal: AbortSignal.timeout(TIMEOUT_MS) },
      token,
    );
  } catch {
    throw new NotesError(UNREACHABLE);
  }
}

/**
 * What a 401 from the notes service may be cured by a refresh: an expired token, or a token the
 * service's revocation feed refuses (`SESSION_REVOKED`). The latter is either a session that
 * really ended, which the refresh confirms and which signs the tab out, or a token older than
 * the user's credential change on a session that stays signed in (this device changed the
 * password), which a fresh token cures.
 */
const REFRESHABLE = new Set(["TOKEN_EXPIRED", "SESSION_REVOKED"]);

/**
 * Calls the notes service with the in-memory access token. On `TOKEN_EXPIRED` or
 * `SESSION_REVOKED` it refreshes through the app's single-flight refresh (shared with the tRPC
 * calls) and retries once; a refresh that got no answer is reported as unreachable, never as a
 * sign-out.
 */
async function callNotes<T>(url: string, init: NotesRequest, read: (body: unknown) => T | null): Promise<NotesResult<T>> {
  const token = sessionClient.getAccessToken();
  if (token === null) throw new NotesError({ ...UNREACHABLE, code: "TOKEN_INVALID", network: false });
  let response = await send(url, init, token);
  let refreshed = false;
  if (response.status === 401) {
    const info = await readError(response);
    if (info.code === null || !REFRESHABLE.has(info.code)) throw new NotesError(info);
    const outcome = await sessionClient.refreshAccessToken(token);
    if (outcome === "unavailable") throw new NotesError(UNREACHABLE);
    const fresh = sessionClient.getAccessToken();
    // Signed out meanwhile: the session provider already sends the page to /signin.
    if (outcome === "signed-out" || fresh === null) throw new NotesError(info);
    // Once only: a token that is expired again straight away means a clock problem; looping would hammer refresh.
    response = await send(url, init, fresh);
    refreshed = true;
  }
  if (!response.ok) throw new NotesError(await readError(response));
  const data = read(await response.json().catch(() => null));
  if (data === null) throw new NotesError({ ...UNREACHABLE, httpStatus: response.status, network: false });
  return { data, refreshed };
}

/** `NOTES_URL` plus `/notes`, keeping any path prefix the service is mounted under. */
const notesEndpoint = (notesUrl: string) => `${notesUrl.replace(/\/+$/, "")}/notes`;

/**
 * The signed-in user's notes, newest first.
 *
 * @example const { data, refreshed } = await listNotes("http://localhost:3001");
 */
export async function listNotes(notesUrl: string): Promise<NotesResult<Note[]>> {
  return callNotes(notesEndpoint(notesUrl), { method: "GET" }, asNoteList);
}

/**
 * Adds a note for the signed-in user.
 *
 * @example const { data: note } = await addNote("http://localhost:3001", "buy milk");
 */
export async function addNote(notesUrl: string, text: string): Promise<NotesResult<Note>> {
  const init: NotesRequest = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }) };
  return callNotes(notesEndpoint(notesUrl), init, asAddedNote);
}
