import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthFromEnv } from "../src/create-auth-from-env.ts";
import { loadAuthEnv } from "../src/config/env.ts";
import { startTestSMTPServer, testBackend, type TestSMTPServer } from "../src/testing/index.ts";
import { email, PASSWORD } from "./fixture.ts";

// Embedded only: what `npm start` on a fresh machine gets, with and without SMTP_URL.
describe.runIf(testBackend() === "pglite")("createAuthFromEnv and mail", () => {
  let dir: string;
  let smtp: TestSMTPServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bk-mail-env-"));
    smtp = await startTestSMTPServer();
  });
  afterAll(async () => {
    await smtp?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("without SMTP_URL, mail lands in the returned dev mailbox with APP_URL links", async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "a"), APP_URL: "http://demo.test:3000/" });
    const { auth, database, mailbox } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    try {
      const address = email();
      await auth.register({ email: address, password: PASSWORD, name: "Ann" });
      await auth.idle();
      const [mail] = mailbox?.list() ?? [];
      expect(mail).toMatchObject({ to: address, subject: "Verify your email address" });
      expect(mail?.links[0]).toMatch(/^http:\/\/demo\.test:3000\/verify-email#token=verify_/);
    } finally {
      await database.close();
    }
  });

  it("without APP_URL, links point where the app listens: http://localhost:$PORT", async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "c"), PORT: "3960" });
    const { auth, database, mailbox } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    try {
      const address = email();
      await auth.register({ email: address, password: PASSWORD, name: "Ann" });
      await auth.requestPasswordReset({ email: address });
      await auth.idle();
      const links = (mailbox?.list() ?? []).flatMap((mail) => mail.links);
      // Newest first: the reset, then the verification.
      expect(links).toEqual([
        expect.stringMatching(/^http:\/\/localhost:3960\/reset-password#token=reset_/),
        expect.stringMatching(/^http:\/\/localhost:3960\/verify-email#token=verify_/),
      ]);
    } finally {
      await database.close();
    }
  });

  it("with SMTP_URL, mail goes over SMTP and there is no mailbox", async () => {
    const env = loadAuthEnv({ PGLITE_DATA_DIR: join(dir, "b"), SMTP_URL: smtp.url, EMAIL_FROM: "Demo <demo@example.com>" });
    const { auth, database, mailbox } = await createAuthFromEnv(env, { log: () => {}, keyAdmin: false });
    try {
      expect(mailbox).toBeNull();
      const address = email();
      await auth.register({ email: address, password: PASSWORD, name: "Ann" });
      const mail = await smtp.take(address);
      expect(mail).toMatchObject({ from: "demo@example.com", subject: "Verify your email address" });
      expect(mail.links[0]).toMatch(/^http:\/\/localhost:3000\/verify-email#token=verify_/);
    } finally {
      await database.close();
    }
  });
});
