// The steward console in a real browser (Debian's chromium, headless, JavaScript off): a
// steward signs in with a link from the CLI, creates and publishes a campaign, sees a Mastodon
// vote arrive, and closes it. Screenshots of the main screens go to docs/console-*.png.
// In CI a missing browser fails the test; locally it is skipped with a message.

import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../src/domain/communities";
import { startTestEnsemble, tempDir, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { runCli } from "../helpers/process";
import { cspViolations } from "../helpers/csp";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (!available && !inCi)
  console.warn(`console browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const AS = "https://www.w3.org/ns/activitystreams";

describe.skipIf(!available && !inCi)("steward console in chromium", () => {
  const dir = tempDir(); // a real folder, so that the CLI finds the running server
  let ensemble: TestEnsemble;
  let mastodon: Peer;
  let browser: Browser;

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is not installed: CI must install chromium`);
    ensemble = await startTestEnsemble("pglite", { ENSEMBLE_DATA_DIR: dir.path });
    await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen" });
    mastodon = await startPeer({ usernames: ["alice"] });
    const follow = {
      "@context": AS,
      id: `${mastodon.origin}/activities/follow`,
      type: "Follow",
      actor: mastodon.actorUrl("alice"),
      object: `${ensemble.origin}/communities/climat`,
    };
    expect((await mastodon.signedPost(`${ensemble.origin}/communities/climat/inbox`, follow)).status).toBe(202);
    await mastodon.waitForDelivery((d) => d.body?.type === "Accept");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await mastodon?.close();
    await ensemble?.stop();
    dir.remove();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: `docs/console-${name}.png`, fullPage: true });

  it("signs in from a CLI link, publishes a campaign, counts a Mastodon vote and closes it", async () => {
    const env = { ENSEMBLE_ORIGIN: ensemble.origin, ENSEMBLE_DATA_DIR: dir.path, LOG_LEVEL: "error" };
    const cli = await runCli(["steward", "invite", "climat", "--label", "alice"], env);
    expect(cli.code).toBe(0);
    const link = cli.stdout.trim();
    expect(link).toMatch(new RegExp(`^${ensemble.origin}/console/signin\\?token=[\\w-]{43}$`));

    // a phone-sized screen, no JavaScript: everything is plain links and forms
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
      locale: "en-GB",
    });
    const page = await context.newPage();
    const refused = cspViolations(page);
    await page.goto(link);
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Dashboard of Climat Rouen");
    expect(await page.locator("main").innerText()).toContain("1 follower on the fediverse");

    await page.getByRole("link", { name: "New campaign" }).first().click();
    await page.getByLabel("Title").fill("Rouen respire");
    await page.getByLabel("Description").fill("Trois **petits pas** pour l'air de Rouen.");
    await page.getByLabel("Step 1", { exact: true }).fill("Signer la lettre");
    await page.getByLabel("Step 2", { exact: true }).fill("Venir samedi");
    await page.getByLabel("Goal (participants, optional)").fill("10");
    await page.getByLabel("Hashtags (separated by spaces)").fill("climat rouen");
    await page.getByRole("button", { name: "Preview" }).click();
    expect(await page.locator(".toot").innerText()).toContain("Signer la lettre");
    await shot(page, "preview");
    await page.getByRole("button", { name: "Save" }).click();
    expect(await page.getByRole("status").innerText()).toBe("Saved.");
    // the saved draft shows the whole post, its link included; publishing asks first
    const postLink = await page.locator(".toot a").first().getAttribute("href");
    expect(postLink).toMatch(new RegExp(`^${ensemble.origin}/communities/climat/campaigns/[\\w-]+$`));
    expect(await page.locator(".toot").innerText()).toContain("#climat");
    await page.getByRole("link", { name: "Publish…" }).click();
    await page.getByRole("button", { name: "Publish now" }).click();
    expect(await page.getByRole("status").innerText()).toBe("The campaign is published.");

    const create = await mastodon.waitForDelivery(
      (d) => d.body?.type === "Create" && d.body.object?.type === "Question",
    );
    const questionId = create.body.object.id as string;
    const note = {
      id: `${mastodon.origin}/activities/vote`,
      type: "Note",
      name: "Venir samedi",
      attributedTo: mastodon.actorUrl("alice"),
      inReplyTo: questionId,
      to: `${ensemble.origin}/communities/climat`,
    };
    expect(
      (
        await mastodon.signedPost(`${ensemble.origin}/inbox`, {
          "@context": AS,
          id: `${note.id}/create`,
          type: "Create",
          actor: note.attributedTo,
          to: note.to,
          object: note,
        })
      ).status,
    ).toBe(202);

    // the inbox is a queue: reload, as a steward would, until the vote shows
    await page.getByRole("link", { name: "Dashboard" }).click();
    const deadline = Date.now() + 15_000;
    while (!(await page.locator("main").innerText()).includes("1 participant of a goal of 10 (10%)")) {
      if (Date.now() > deadline) throw new Error("the vote never showed on the dashboard");
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    expect(await page.locator("main").innerText()).toContain("Venir samedi — 1 on this step");
    await shot(page, "dashboard");

    await page.getByRole("link", { name: "Rouen respire" }).click();
    await page.getByRole("button", { name: "Close the campaign" }).click();
    expect(await page.locator("#e-outcome").innerText()).toContain("Say how the campaign ended");
    await page.getByLabel("How did it end?").fill("Lettre signée par 120 personnes.");
    await page.getByRole("button", { name: "Close the campaign" }).click();
    expect(await page.locator("blockquote").innerText()).toBe("Lettre signée par 120 personnes.");
    await page.getByRole("button", { name: "Yes, close the campaign" }).click();
    expect(await page.getByRole("status").innerText()).toBe("The campaign is closed.");
    await mastodon.waitForDelivery((d) => d.body?.type === "Update" && d.body.object?.closed);
    await shot(page, "campaign");

    // the same console in French, by the language switch
    await page.getByRole("link", { name: "Français" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toContain("Rouen respire");
    expect(await page.locator("main").innerText()).toContain("Clôturée");
    // styled by the one stylesheet (its blue links), with nothing refused by the Content-Security-Policy
    expect(
      await page
        .getByRole("link", { name: "Nouvelle campagne" })
        .first()
        .evaluate((el) => getComputedStyle(el).color),
    ).toBe("rgb(10, 74, 168)");
    expect(refused).toEqual([]);
    await context.close();
  }, 180_000);
});
