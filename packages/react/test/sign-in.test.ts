// signIn against the real API: the tokens become the tab's and every other tab's; a refusal
// comes back as the API's error code and leaves the session as it was.
import { describe, expect, it, vi } from "vitest";
import { readAuthError } from "../src/client.ts";
import { createBrowser } from "./browser.ts";
import { useLiveApi } from "./fixture.ts";

const t = useLiveApi();

describe("signIn", () => {
  it("holds the new session in this tab and hands it to the others", async () => {
    const browser = createBrowser();
    const here = t.tab(browser);
    const there = t.tab(browser);
    there.start();
    await vi.waitFor(() => expect(there.session.getSession().status).toBe("signed-out"));
    const credentials = await t.api().createUser();

    const user = await here.session.signIn(credentials);

    expect(user).toMatchObject({ email: credentials.email, name: "Ann" });
    expect(here.session.getSession()).toMatchObject({ status: "signed-in", user: { id: user?.id } });
    await vi.waitFor(() => expect(there.session.getAccessToken()).toBe(here.session.getAccessToken()));
  });

  it("rejects a wrong password with INVALID_CREDENTIALS and stays signed out", async () => {
    const { session } = t.tab(createBrowser());
    const { email } = await t.api().createUser();

    const refused = await session.signIn({ email, password: "not the password at all" }).catch((error: unknown) => error);

    expect(readAuthError(refused)).toMatchObject({ code: "INVALID_CREDENTIALS", httpStatus: 401, network: false });
    expect(session.getAccessToken()).toBeNull();
  });
});
