import type { AppRouter } from "@bearer-kit/api";
import { startAuthentication } from "@simplewebauthn/browser";
import type { TRPCClient } from "@trpc/client";
import type { PasskeyConfirmation } from "../trpc/router-types.ts";

/** A passkey assertion as the confirmation of a passkey change declares it. */
export type ConfirmingPasskey = NonNullable<PasskeyConfirmation["passkey"]>;

/**
 * A fresh second step with one of the account's own passkeys, for a change to its passkeys:
 * `account.passkeyConfirmOptions`, then the browser's prompt. `except` leaves out the passkey
 * being removed: the API wants another one to vouch for the removal.
 *
 * @example const passkey = await confirmWithPasskey(utils.client, { except: row.id }); await removePasskey({ id, password, passkey });
 */
export async function confirmWithPasskey(client: TRPCClient<AppRouter>, options: { except?: string } = {}): Promise<ConfirmingPasskey> {
  const optionsJSON = await client.account.passkeyConfirmOptions.mutate();
  const allowCredentials = optionsJSON.allowCredentials?.filter((credential) => credential.id !== options.except);
  return startAuthentication({ optionsJSON: { ...optionsJSON, allowCredentials } });
}
