import type { AppRouter } from "@bearer-kit/api";
import type { RegistrationResponseJSON } from "@simplewebauthn/browser";
import type { inferRouterInputs } from "@trpc/server";

/** A new passkey as `account.addPasskey`'s input declares it. */
export type RegistrationInput = inferRouterInputs<AppRouter>["account"]["addPasskey"]["response"];

/**
 * `startRegistration`'s answer as `account.addPasskey` takes it. The DOM types declare the
 * extensions' outputs as an interface, which the input's record type does not accept as such; a
 * plain copy is the same JSON on the wire.
 *
 * @example await client.account.addPasskey.mutate({ response: registrationInput(await startRegistration({ optionsJSON })) });
 */
export function registrationInput(response: RegistrationResponseJSON): RegistrationInput {
  return { ...response, clientExtensionResults: { ...response.clientExtensionResults } };
}
