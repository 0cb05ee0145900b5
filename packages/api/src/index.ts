// The public API of @bearer-kit/api. Everything else is internal.
export type { AuthPayload, MePayload, PublicUser, RegisterPayload, SigninPayload } from "./auth-payload.ts";
export { type Context, type CreateContextOptions, createTRPCContext, type RequestClient } from "./context.ts";
export { clientAddress, type ClientAddressOptions } from "./http/client-address.ts";
export {
  type ApiRouter,
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
  type RequestPeer,
} from "./http/fetch-handler.ts";
export { toNodeListener } from "./http/node-listener.ts";
export { createSecurityEventPollHandler, type SecurityEventPollOptions } from "./http/security-event-poll.ts";
export { REFRESH_COOKIE, TRANSPORT_HEADER } from "./http/refresh-cookie.ts";
export { type AppRouter, appRouter, createCaller } from "./root.ts";
export type { SessionSummary } from "./router/account.ts";
export type { SecurityEventSummary } from "./router/security-events.ts";
export {
  AUTH_ERROR_STATUS,
  createCallerFactory,
  mergeRouters,
  mfaProcedure,
  protectedProcedure,
  publicProcedure,
  router,
} from "./trpc.ts";
