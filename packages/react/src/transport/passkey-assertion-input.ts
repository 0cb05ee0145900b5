import type { AppRouter } from "@bearer-kit/api";
import type { inferRouterInputs } from "@trpc/server";
import type { PasskeyAuthenticationResponse } from "./router-types.ts";

/** A passkey assertion as the API's input declares it. */
export type PasskeyAssertionInput = inferRouterInputs<AppRouter>["auth"]["signinWithPasskey"]["response"];

/**
 * The browser's assertion as the API's input type takes it. The DOM types declare the
 * extensions' outputs as an interface, which the input's record type does not accept as such;
 * a plain copy is the same JSON on the wire.
 *
 * @example client.auth.signinWithPasskey.mutate({ response: passkeyAssertionInput(response) });
 */
export function passkeyAssertionInput(response: PasskeyAuthenticationResponse): PasskeyAssertionInput {
  return { ...response, clientExtensionResults: { ...response.clientExtensionResults } };
}
