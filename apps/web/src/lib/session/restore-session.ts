import { refreshAccessToken } from "./refresh-access-token.ts";
import { sessionStore } from "./session-store.ts";

/**
 * On page load the access token is gone (memory only); the refresh cookie, if any, brings the
 * session back. Anything but success leaves the tab signed out.
 *
 * @example useEffect(() => void restoreSession(), []);
 */
export async function restoreSession(): Promise<void> {
  if (sessionStore.get().status !== "restoring") return;
  const outcome = await refreshAccessToken(null);
  if (outcome !== "refreshed" && sessionStore.get().status === "restoring") sessionStore.set({ status: "signed-out" });
}
