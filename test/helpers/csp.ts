import type { Page } from "playwright-core";

/**
 * Collects what Chromium reports as refused by the page's Content-Security-Policy (it logs each
 * refusal to the console, JavaScript on or off), so a browser test can assert there was none.
 */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`${page.url()}: ${message.text()}`);
  });
  return seen;
}
