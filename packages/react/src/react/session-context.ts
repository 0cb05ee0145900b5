import { createContext } from "react";
import type { SessionControls } from "../create-session-client.ts";

/** The session `<SessionProvider>` runs; `null` outside one. */
export const SessionContext = createContext<SessionControls | null>(null);
