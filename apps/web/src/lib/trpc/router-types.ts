import type { AppRouter } from "@bearer-kit/api";
import type { inferRouterOutputs } from "@trpc/server";

/** One row of `account.sessions`. */
export type AccountSession = inferRouterOutputs<AppRouter>["account"]["sessions"][number];

/** One entry of `account.securityEvents`. */
export type AccountSecurityEvent = inferRouterOutputs<AppRouter>["account"]["securityEvents"]["events"][number];
