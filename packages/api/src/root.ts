import { accountRouter } from "./router/account.ts";
import { authRouter } from "./router/auth.ts";
import { createCallerFactory, router } from "./trpc.ts";

/**
 * The whole API: `auth.*` and `account.*`.
 *
 * @example fetchRequestHandler({ router: appRouter, endpoint: "/api/trpc", req, createContext })
 */
export const appRouter = router({ auth: authRouter, account: accountRouter });

/** The router's type, for `createTRPCClient<AppRouter>()`. */
export type AppRouter = typeof appRouter;

/**
 * Calls procedures in-process with a context from `createTRPCContext`.
 *
 * @example const caller = createCaller(createTRPCContext({ auth, headers, resHeaders }));
 */
export const createCaller = createCallerFactory(appRouter);
