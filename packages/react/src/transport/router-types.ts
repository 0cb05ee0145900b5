import type { AppRouter } from "@bearer-kit/api";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>;

/** What `auth.register`, `auth.signin` and `auth.refresh` answer. */
export type AuthPayload = Outputs["auth"]["signin"];
/** The signed-in user as the API describes it. */
export type SessionUser = AuthPayload["user"];
/** One row of `account.sessions`. */
export type AccountSession = Outputs["account"]["sessions"][number];
