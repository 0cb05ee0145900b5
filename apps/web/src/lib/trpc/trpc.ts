import type { AppRouter } from "@bearer-kit/api";
import { createTRPCReact } from "@trpc/react-query";

/**
 * Typed React hooks for the API.
 *
 * @example const me = trpc.auth.me.useQuery();
 */
export const trpc = createTRPCReact<AppRouter>();
