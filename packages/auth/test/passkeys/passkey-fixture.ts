import type { Auth } from "../../src/create-auth.ts";
import { createSoftAuthenticator, type SoftAuthenticator } from "../../src/testing/index.ts";
import { email, PASSWORD } from "../fixture.ts";
import type { MailFixture } from "../mail-fixture.ts";
import { CLIENT } from "../second-factors/two-factor-fixture.ts";

/** The app's origin in these tests: passkeys are scoped to `localhost`. */
export const ORIGIN = "http://localhost:3000";

/**
 * A registered account holding one passkey (device-bound unless `synced`), made through the
 * real ceremony, with the authenticator that holds it. The mails so far are taken.
 */
export async function accountWithPasskey(m: MailFixture, { synced = false, auth = m.auth }: { synced?: boolean; auth?: Auth } = {}) {
  const address = email("passkey");
  const first = await auth.register({ email: address, password: PASSWORD, name: "Ann" }, CLIENT);
  const current = { user: first.user, session: first.session };
  const authenticator = createSoftAuthenticator({ origin: ORIGIN, backupEligible: synced });
  const options = await auth.passkeyRegistrationOptions(current, { password: PASSWORD }, CLIENT);
  const added = await auth.addPasskey(current, { response: await authenticator.create(options), name: "Laptop" });
  await m.smtp.take(address); // the verification mail
  await m.smtp.take(address); // "A passkey was added"
  return { address, first, current, authenticator, passkey: added.passkey, recoveryCodes: added.recoveryCodes ?? [] };
}

/** A usernameless passkey sign-in by `authenticator`. */
export async function signinWithPasskey(auth: Auth, authenticator: SoftAuthenticator, overrides: Parameters<SoftAuthenticator["get"]>[1] = {}) {
  const options = await auth.passkeySigninOptions({}, CLIENT);
  return auth.signinWithPasskey({ response: await authenticator.get(options, overrides) }, CLIENT);
}
