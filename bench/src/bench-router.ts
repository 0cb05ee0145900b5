import { appRouter, type MePayload, mergeRouters, publicProcedure, router } from "@bearer-kit/api";

// What `auth.me` returns, fixed: the public query answers the same shape and size of JSON, so
// the two differ only in the auth work (token check, session and user lookup).
const SAMPLE_USER: MePayload = {
  id: "00000000-0000-4000-8000-000000000000",
  email: "bench-user-0@example.com",
  name: "Bench user",
  createdAt: "2026-01-01T00:00:00.000Z",
  emailVerified: true,
  twoFactor: { totp: false, recoveryCodesLeft: 0, passkeys: 0 },
};

/**
 * Our whole API plus `bench.user`, a public query, to set against the protected `auth.me`.
 *
 * @example createFetchHandler({ auth, endpoint: "/api/trpc", router: benchRouter })
 */
export const benchRouter = mergeRouters(appRouter, router({ bench: router({ user: publicProcedure.query((): MePayload => SAMPLE_USER) }) }));
