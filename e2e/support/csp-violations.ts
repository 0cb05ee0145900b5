import type { Page } from "@playwright/test";

/**
 * Collects what the page's Content-Security-Policy blocked, from the DOM event and from the
 * console, plus uncaught errors, so a test can check the pages still work under the policy.
 *
 * @example const problems = watchCSPViolations(page); ...; expect(problems).toEqual([]);
 */
export async function watchCSPViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeFunction("__reportCSPViolation", (text: string) => problems.push(text));
  // Injected by the browser's debugger protocol, which the page's policy does not govern.
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCSPViolation: (text: string) => void }).__reportCSPViolation;
      void report(`${event.violatedDirective}: ${event.blockedURI}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}
