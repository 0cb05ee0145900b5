import type { IncomingMessage, ServerResponse } from "node:http";
import { AuthError, type VerifiedClaims, type Verifier } from "@bearer-kit/auth/verify";
import { noteInputSchema } from "../note-input.ts";
import type { Note, NoteStore } from "../note-store.ts";
import { authChallenge } from "./auth-challenge.ts";
import { authorizationToken } from "./authorization-token.ts";
import { answerPreflight, checkOrigin, corsHeaders } from "./cors.ts";
import { readJSONBody } from "./read-json-body.ts";
import { requestPath } from "./request-path.ts";
import { sendError } from "./send-error.ts";
import { sendJSON } from "./send-json.ts";

export interface NotesListenerOptions {
  /** Checks the web app's access tokens, from its JWKS (and its revocation feed, when configured). */
  verifier: Verifier;
  store: NoteStore;
  /** The web app's origin, the only one CORS lets in, e.g. `http://localhost:3000`. */
  allowedOrigin: string;
  /**
   * Where clients reach this service, e.g. `https://notes.example.com` (with any path prefix a
   * proxy strips): a DPoP proof's `htu` is this plus the request path. Never read from the Host
   * header, which a proxy may rewrite and a client may forge.
   */
  publicUrl: string;
  /** Larger bodies get 413. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Sees unexpected errors, which clients never see. */
  onError?: (error: unknown) => void;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Input is checked before the store sees it, so a store failure is the database's: retry later. */
async function stored<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (cause) {
    throw new AuthError("DATABASE_UNAVAILABLE", "The notes database is unavailable; try again shortly.", { cause });
  }
}

const noteJSON = (note: Note) => ({ id: note.id, text: note.text, createdAt: note.createdAt.toISOString() });

/** A single `DPoP` header's value, or `undefined`: two proofs in one request are none. */
function dpopHeader(req: IncomingMessage): string | undefined {
  const values = req.headersDistinct.dpop;
  return values?.length === 1 ? values[0] : undefined;
}

/**
 * The notes service as a `node:http` listener:
 * - `GET /notes`: the caller's notes, newest first;
 * - `POST /notes` `{ text }`: adds one, answers 201 with it.
 *
 * Both need an access token issued by the web app: `Authorization: Bearer <token>`, or for a
 * DPoP-bound token `Authorization: DPoP <token>` with a `DPoP` proof of this method and URL.
 * Errors have the API's shape and codes, and RFC 9449 challenges (`use_dpop_nonce` comes with a
 * `DPoP-Nonce`). No client input produces a 500: a malformed request target gets 400.
 *
 * @example createServer(createNotesListener({ verifier, store, allowedOrigin: "http://localhost:3000", publicUrl: "http://localhost:3001" })).listen(3001)
 */
export function createNotesListener(options: NotesListenerOptions): Listener {
  const { verifier, store, allowedOrigin, maxBodyBytes = 16_384, onError } = options;
  const publicUrl = options.publicUrl.replace(/\/+$/, "");

  async function authenticate(req: IncomingMessage, res: ServerResponse, context: { path: string; cors: Record<string, string> }) {
    const { cors } = context;
    const presented = authorizationToken(req);
    try {
      if (presented === null) throw new AuthError("TOKEN_INVALID", "An access token is required.");
      const proof = dpopHeader(req);
      const dpop = proof === undefined ? undefined : { proof, method: req.method ?? "", url: `${publicUrl}${context.path}` };
      return await verifier.verify(presented.token, { scheme: presented.scheme, dpop });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // The verifier could not tell (keys not fetched, revocation feed stale): retry, not sign in.
      if (error.code === "JWKS_UNAVAILABLE" || error.code === "REVOCATION_UNAVAILABLE") {
        sendError(res, "SERVICE_UNAVAILABLE", { message: error.message, authCode: error.code, headers: cors });
      } else {
        const headers: Record<string, string> = { ...cors, "WWW-Authenticate": authChallenge(presented, error) };
        if (error.code === "DPOP_NONCE_REQUIRED") headers["DPoP-Nonce"] = await verifier.dpopNonce();
        sendError(res, "UNAUTHORIZED", { message: error.message, authCode: error.code, headers });
      }
      return null;
    }
  }

  async function addNote(req: IncomingMessage, res: ServerResponse, context: { user: VerifiedClaims; cors: Record<string, string> }) {
    const { cors } = context;
    const body = await readJSONBody(req, maxBodyBytes);
    if (body.kind === "too-large") {
      // Stop reading the rest: close the connection once the answer is out.
      res.once("finish", () => req.destroy());
      sendError(res, "PAYLOAD_TOO_LARGE", { message: `Request body exceeds ${maxBodyBytes} bytes`, headers: { ...cors, Connection: "close" } });
      return;
    }
    if (body.kind === "not-json") {
      sendError(res, "UNSUPPORTED_MEDIA_TYPE", { message: "Send the note as application/json.", headers: cors });
      return;
    }
    if (body.kind === "malformed") {
      sendError(res, "BAD_REQUEST", { message: "Malformed JSON body", headers: cors });
      return;
    }
    const input = noteInputSchema.safeParse(body.value);
    if (!input.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of input.error.issues) (fieldErrors[String(issue.path[0] ?? "body")] ??= []).push(issue.message);
      const message = input.error.issues[0]?.message ?? "Invalid input";
      sendError(res, "BAD_REQUEST", { message, authCode: "INVALID_INPUT", fieldErrors, headers: cors });
      return;
    }
    const note = await stored(store.add(context.user.sub, input.data.text));
    sendJSON(res, { status: 201, body: { note: noteJSON(note) }, headers: cors });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = checkOrigin(req, allowedOrigin);
    // A target no URL parser agrees on is the client's mistake, whatever the method.
    const path = requestPath(req.url);
    if (path === null) {
      const headers = origin === "allowed" ? corsHeaders(allowedOrigin) : {};
      return sendError(res, "BAD_REQUEST", { message: "Malformed request target", headers });
    }
    if (req.method === "OPTIONS") return answerPreflight(req, res, allowedOrigin);
    // A browser on another site: refuse before doing anything, rather than act and hide the answer.
    if (origin === "refused") return sendError(res, "FORBIDDEN", { message: "Origin not allowed", headers: { Vary: "Origin" } });
    const cors = origin === "allowed" ? corsHeaders(allowedOrigin) : {};

    if (path !== "/notes") return sendError(res, "NOT_FOUND", { message: "Not found", headers: cors });
    if (req.method !== "GET" && req.method !== "POST") {
      return sendError(res, "METHOD_NOT_SUPPORTED", { message: "Use GET or POST", headers: { ...cors, Allow: "GET, POST, OPTIONS" } });
    }

    const user = await authenticate(req, res, { path, cors });
    if (!user) return;
    if (req.method === "GET") {
      const notes = await stored(store.list(user.sub));
      return sendJSON(res, { status: 200, body: { notes: notes.map(noteJSON) }, headers: cors });
    }
    return addNote(req, res, { user, cors });
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError?.(error);
      // Client input is answered above; what reaches here is the database's or a bug of ours.
      if (error instanceof AuthError && error.code === "DATABASE_UNAVAILABLE") {
        sendError(res, "SERVICE_UNAVAILABLE", { message: error.message, authCode: error.code });
      } else {
        sendError(res, "INTERNAL_SERVER_ERROR", { message: "Internal server error" });
      }
    });
  };
}
