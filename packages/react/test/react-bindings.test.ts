// The React bindings under a server render, as Next.js runs them before the browser takes
// over: the session is "restoring" there, since only the browser knows it.
import type { AppRouter } from "@bearer-kit/api";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createSessionClient, SessionError, SessionProvider, useSession, useSignIn } from "../src/index.ts";

function Status(): ReactNode {
  const session = useSession();
  const signIn = useSignIn();
  return createElement("p", null, `${session.status} ${signIn.status}`);
}

describe("the React bindings", () => {
  it("render the session as restoring on the server, without a request", () => {
    const requested: string[] = [];
    const client = createSessionClient<AppRouter>({
      url: "http://127.0.0.1:1/api/trpc",
      fetch: async (input) => {
        requested.push(String(input));
        throw new TypeError("no network in a server render");
      },
    });

    expect(renderToString(createElement(SessionProvider, { client }, createElement(Status)))).toBe("<p>restoring idle</p>");
    expect(requested).toEqual([]);
  });

  it("refuse a hook outside <SessionProvider> with NO_SESSION_PROVIDER", () => {
    const failure = (() => {
      try {
        renderToString(createElement(Status));
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(failure).toBeInstanceOf(SessionError);
    expect(failure).toMatchObject({ code: "NO_SESSION_PROVIDER" });
  });
});
