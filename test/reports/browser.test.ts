// A report page in a real browser (Debian's chromium, headless): what a reader sees, without
// JavaScript. In CI a missing browser fails the test; locally it is skipped with a message.
// REPORT_SCREENSHOT=docs/report.png also saves a screenshot of the page.

import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { buildScenario, type Scenario } from "./scenario";
import { cspViolations } from "../helpers/csp";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (!available && !inCi)
  console.warn(`browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium); CI fails instead`);

describe.skipIf(!available && !inCi)("report page in chromium", () => {
  let server: TestEnsemble;
  let scenario: Scenario;
  let browser: Browser;
  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is not installed: CI must install chromium (see .ci/run)`);
    server = await startTestEnsemble("pglite");
    scenario = await buildScenario(server.services.db);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 180_000); // a shared 2-core machine can take minutes to start a server and store the scenario
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("shows shares with intervals, the suppressed weeks, and charts with text alternatives, without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 900, height: 1400 } });
    const page = await context.newPage();
    const refused = cspViolations(page);
    await page.goto(`${server.origin}/communities/climat/campaigns/${scenario.campaign.id}/report?window=week`);
    await expect(page.getByRole("heading", { level: 1 })).toBeTruthy();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(
      `Sentiment report: ${scenario.campaign.title}`,
    );
    const anger = page
      .locator("table.shares")
      .first()
      .locator("tr", { has: page.locator('th:text-is("anger")') });
    // a share the model cannot correct is shown unadjusted, and says so
    expect(await anger.innerText()).toMatch(
      /anger\s+\d+\.\d%\s*95% CI \d+\.\d%–\d+\.\d%( · unadjusted)?\s+\d+\.\d%\s*95% CI \d+\.\d%–\d+\.\d%/,
    );
    const week2 = page.locator("tr", { has: page.locator('th:text-is("2025-03-10")') }).last();
    expect(await week2.innerText()).toContain("suppressed (< 11 authors)");
    expect(await page.locator("svg[role=img]").count()).toBe(2);
    expect(await page.locator("svg[role=img] title").first().textContent()).toContain("emotion groups");
    // The text alternative exists for assistive technology but takes no room on screen.
    const style = await page
      .locator("table.visually-hidden")
      .first()
      .evaluate((el) => [getComputedStyle(el).position, getComputedStyle(el).clipPath]);
    expect(style).toEqual(["absolute", "inset(50%)"]);
    if (process.env.REPORT_SCREENSHOT) await page.screenshot({ path: process.env.REPORT_SCREENSHOT, fullPage: true });
    // the page's styles come from its stylesheet, and the Content-Security-Policy refused nothing
    await page.goto(`${server.origin}/methodology`);
    expect(refused).toEqual([]);
    await context.close();
  });

  it("on a 390 px phone, the methodology's tables are tables and nothing scrolls the page sideways", async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    for (const path of [
      "/methodology",
      `/communities/climat/campaigns/${scenario.campaign.id}/report?window=week`,
      "/communities/climat/reports?window=day",
    ]) {
      await page.goto(`${server.origin}${path}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    }
    await page.goto(`${server.origin}/methodology`);
    // The model card's Markdown tables: real tables with header cells and rows, each in its own scrolling box.
    const card = page.locator(".card-md table");
    expect(await card.count()).toBeGreaterThan(2);
    expect(await card.first().locator("th").count()).toBeGreaterThan(1);
    expect(await card.first().locator("tbody tr").count()).toBeGreaterThan(1);
    const box = await card.first().evaluate((t) => getComputedStyle(t.parentElement!).overflowX);
    expect(box).toBe("auto");
    expect(errors.filter((e) => !e.includes("favicon"))).toEqual([]);
    if (process.env.METHODOLOGY_SCREENSHOT)
      await page.screenshot({ path: process.env.METHODOLOGY_SCREENSHOT, fullPage: false });
    await context.close();
  });
});
