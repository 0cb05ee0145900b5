import { expect, test } from "@playwright/test";
import { caseTitle, runConformance } from "../conformance/run-cases.ts";
import { CONFORMANCE_SECRET, conformancePrivateKey, conformanceServers } from "../support/servers.ts";

// The adversarial suite (also `pnpm conformance`) against the built app on each backend, with
// the default settings it assumes (60 s leeway, 5 failures per account). One test per backend:
// the leaks group scans every response the other cases collected. The two run side by side,
// after the browser flows: each timing case interleaves its two kinds of sample, so the other
// suite's load weighs on both alike.

for (const server of conformanceServers()) {
  test(`conformance suite on ${server.backend}, ${server.algorithm}`, async () => {
    test.setTimeout(180_000);
    const notRun: string[] = [];
    const results = await runConformance({
      onNotRun: (c, needs) => notRun.push(`${caseTitle(c)} (needs ${needs.join(", ")})`),
      url: `http://localhost:${server.port}`,
      secret: CONFORMANCE_SECRET,
      algorithm: server.algorithm,
      smtpPort: server.smtpPort,
      resetTtl: server.resetTtl,
      ...(server.algorithm === "ES256" && { privateKey: conformancePrivateKey() }),
    });
    const failures = results.filter((result) => !result.ok).map((result) => `${caseTitle(result)}: ${result.message}`);
    console.log(`conformance on ${server.backend} ${server.algorithm}: ${results.length - failures.length} passed, ${failures.length} failed`);
    // Every case runs but two: the servers send mail here and their reset links live 15 s. The
    // mfaToken's 5-minute expiry would hold the suite 5 minutes; the core's tests cover it with a
    // pinned clock (packages/auth/test/second-factors/second-step.test.ts, "lives 5 minutes"), and `--wait-mfa-token-expiry` runs it here.
    // The same for a passkey challenge's 5 minutes: `--wait-passkey-challenge-expiry`.
    expect(notRun).toEqual([
      expect.stringMatching(/\(needs mfa-token-expiry\)$/),
      expect.stringMatching(/\(needs passkey-challenge-expiry\)$/),
    ]);
    expect(failures).toEqual([]);
    expect(results.length).toBeGreaterThan(150);
  });
}
