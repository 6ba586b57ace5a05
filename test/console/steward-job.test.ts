// A steward's whole job in a real browser (Debian's chromium, headless, JavaScript on for
// passkeys), in French, on a desktop screen and on a 390×844 phone: starting signed out, sign in
// with a first invite link, register a passkey (Chrome's virtual authenticator over CDP), sign
// out and back in with it, change the rules (diff first), appoint a moderator by fediverse
// handle (the test peer answers WebFinger), handle a Flag end to end (the statement is on the
// public moderation page and in the record), then see the worry card after a burst of fearful
// replies from peers and post the proposed update. Screenshots of each page go to docs/.
// In CI a missing browser fails the test; locally it is skipped with a message.

import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, publishCampaign, type Campaign } from "../../src/domain/campaigns";
import { createCommunity } from "../../src/domain/communities";
import { addFollower } from "../../src/domain/followers";
import { storeInboundNote } from "../../src/domain/notes";
import { freePort, startTestEnsemble, tempDir, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { runCli } from "../helpers/process";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (!available && !inCi)
  console.warn(`console browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
const AS = "https://www.w3.org/ns/activitystreams";
const DAY = 86_400_000;
const FEARFUL = [
  "J'ai vraiment peur, je suis très inquiète pour la sécurité des enfants sur cette route.",
  "Ça me fait peur, j'ai peur des accidents, je suis terrifié.",
  "Je suis inquiet et angoissé par ce projet dangereux.",
];
const CALM = [
  "Merci beaucoup, super idée, j'adore ce projet !",
  "Bravo, quelle belle initiative, merci à toute l'équipe.",
];

const screens = [
  { name: "desktop", viewport: { width: 1280, height: 900 }, shots: true },
  { name: "phone", viewport: { width: 390, height: 844 }, shots: false },
] as const;

describe.skipIf(!available && !inCi).each(screens)("a steward's job in chromium ($name)", (screen) => {
  const dir = tempDir(); // a real folder, so that the CLI finds the running server
  let ensemble: TestEnsemble;
  let peer: Peer;
  let browser: Browser;
  let campaign: Campaign;
  const people = Array.from({ length: 12 }, (_, i) => `p${i + 1}`);
  let n = 0;

  const question = () => `${ensemble.origin}/communities/climat/campaigns/${campaign.id}`;
  const reply = (username: string, text: string) => {
    const note = {
      id: `${peer.origin}/notes/${++n}`,
      type: "Note",
      content: `<p>${text}</p>`,
      attributedTo: peer.actorUrl(username),
      inReplyTo: question(),
      to: `${AS}#Public`,
      cc: `${ensemble.origin}/communities/climat`,
      published: new Date().toISOString(),
    };
    // a public reply, as Mastodon addresses one: only those are counted in reports and listening
    return peer.signedPost(
      `${ensemble.origin}/inbox`,
      {
        "@context": AS,
        id: `${note.id}/create`,
        type: "Create",
        actor: note.attributedTo,
        to: note.to,
        cc: note.cc,
        object: note,
      },
      { username },
    );
  };

  beforeAll(async () => {
    if (!available) throw new Error(`${CHROMIUM} is not installed: CI must install chromium`);
    // WebAuthn refuses IP addresses as relying party IDs: the console is served as localhost
    const port = await freePort();
    ensemble = await startTestEnsemble("pglite", {
      PORT: String(port),
      ENSEMBLE_ORIGIN: `http://localhost:${port}`,
      ENSEMBLE_DATA_DIR: dir.path,
    });
    const { db, scoreNote } = ensemble.services;
    const community = await createCommunity(db, { handle: "climat", name: "Climat Rouen" });
    peer = await startPeer({ usernames: ["rita", "camille", "spammer", ...people] });
    for (const u of ["rita", "camille", ...people]) {
      await addFollower(db, {
        communityId: community.id,
        actorIri: peer.actorUrl(u),
        inboxUrl: `${peer.origin}/users/${u}/inbox`,
        sharedInboxUrl: `${peer.origin}/inbox`,
        followIri: null,
      });
    }
    campaign = await publishCampaign(
      db,
      await createCampaign(db, community.id, {
        title: "Rue Jeanne-d'Arc à vélo",
        description: "Une rue apaisée pour l'école.",
        steps: ["Signer la lettre", "Venir samedi"],
        startsAt: new Date(Date.now() - 20 * DAY),
        endsAt: new Date(Date.now() + 20 * DAY),
        language: "fr",
        hashtags: ["velo"],
      }),
    );
    // two calm weeks before this one, twelve people each: the baseline of the weak-signal test
    for (const weeksAgo of [1, 2]) {
      for (let i = 0; i < 12; i++) {
        const published = new Date(Date.now() - weeksAgo * 7 * DAY);
        // received when published: the store clamps `published` to the receipt time
        await storeInboundNote(
          db,
          {
            iri: `https://calm.example/notes/${weeksAgo}-${i}`,
            communityId: community.id,
            campaignId: campaign.id,
            inReplyTo: question(),
            authorIri: `https://calm.example/users/w${weeksAgo}-${i}`,
            contentHtml: `<p>${CALM[i % 2]}</p>`,
            language: "fr",
            published,
          },
          scoreNote,
          published,
        );
      }
    }
    expect((await reply("spammer", "Achetez mes montres pas chères sur shop.example !")).status).toBe(202);
    const flag = {
      "@context": AS,
      id: `${peer.origin}/flags/1`,
      type: "Flag",
      actor: peer.actorUrl("rita"),
      object: [`${peer.origin}/notes/${n}`],
      content: "C'est de la publicité",
    };
    expect(
      (await peer.signedPost(`${ensemble.origin}/communities/climat/inbox`, flag, { username: "rita" })).status,
    ).toBe(202);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await peer?.close();
    await ensemble?.stop();
    dir.remove();
  });

  const shot = (page: Page, name: string) =>
    screen.shots ? page.screenshot({ path: `docs/console-fr-${name}.png`, fullPage: true }) : undefined;
  const main = (page: Page) => page.locator("main").innerText();
  /** The inbox is a queue: reload, as a steward would, until the text shows. */
  const reloadUntil = async (page: Page, text: string) => {
    const deadline = Date.now() + 30_000;
    while (!(await main(page)).includes(text)) {
      if (Date.now() > deadline)
        throw new Error(`"${text}" never showed on ${page.url()}: ${(await main(page)).slice(0, 3000)}`);
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
  };

  it("signs in with a passkey, governs, moderates a flag, and answers rising worry", async () => {
    const context = await browser.newContext({
      viewport: screen.viewport,
      locale: "fr-FR",
      timezoneId: "Europe/Paris",
      extraHTTPHeaders: { "accept-language": "fr-FR,fr;q=0.9" },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // script errors only: the signed-out page's 401 and the absent favicon are expected answers
    page.on(
      "console",
      (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    // signed out: the console says so and offers the passkey sign-in
    await page.goto(`${ensemble.origin}/console`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Merci de vous reconnecter");

    // the very first sign-in: a link from the server's administrator
    const cli = await runCli(["steward", "invite", "climat", "--label", "alice"], {
      ENSEMBLE_ORIGIN: ensemble.origin,
      ENSEMBLE_DATA_DIR: dir.path,
      LOG_LEVEL: "error",
    });
    expect(cli.code).toBe(0);
    await page.goto(cli.stdout.trim());
    await page.getByRole("button", { name: "Me connecter" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Tableau de bord de Climat Rouen");

    // a passkey, then sign out and back in with it: no link needed any more
    await page.getByRole("link", { name: "Connexion et sessions" }).click();
    await page.getByRole("button", { name: "Ajouter une clé d'accès" }).click();
    await page.waitForURL(/done=passkey/);
    expect(await page.getByRole("status").first().innerText()).toContain("Clé d'accès ajoutée");
    expect(await main(page)).toContain("Clé d'accès 1 de alice");
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0].isResidentCredential).toBe(true);
    await shot(page, "sessions");
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Vous êtes déconnecté·e");
    await page.getByRole("link", { name: "Se connecter avec une clé d'accès" }).click();
    await shot(page, "signin");
    await page.getByRole("button", { name: "Se connecter avec une clé d'accès" }).click();
    await page.waitForURL(`${ensemble.origin}/console`);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Tableau de bord de Climat Rouen");
    await page.getByRole("link", { name: "Connexion et sessions" }).click();
    expect(await main(page)).toContain("connexion par clé d'accès");
    // dates in the steward's own zone, named (the browser's zone, which the console script told the server)
    expect(await main(page)).toContain("(Europe/Paris)");

    // the rules: the change is shown as a diff before it is published
    await page.getByRole("link", { name: "Règles et rôles" }).click();
    await page.getByLabel("Règles de la communauté").fill("Pas de publicité.\nRester courtois.");
    await page.getByRole("button", { name: "Vérifier la modification" }).click();
    expect(await page.locator(".diff ins").allInnerTexts()).toEqual(["+ Pas de publicité.", "+ Rester courtois."]);
    await shot(page, "rules-diff");
    await page.getByRole("button", { name: "Publier ces règles" }).click();
    expect(await page.getByRole("status").innerText()).toContain("Les nouvelles règles sont en vigueur.");

    // a moderator, by fediverse handle
    await page.getByLabel("Identifiant fédivers").fill(`@camille@${peer.host}`);
    await page.getByLabel("Rôle").selectOption("moderator");
    await page.getByRole("button", { name: "Nommer", exact: true }).click();
    expect(await page.getByRole("status").innerText()).toContain("Nomination faite.");
    expect(await main(page)).toContain(peer.actorUrl("camille").replace("http://", ""));
    await shot(page, "governance");
    const governance = await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text();
    expect(governance).toContain(peer.actorUrl("camille"));
    expect(governance).toContain("Rester courtois.");

    // the flag: the reported reply, the rule in force, the facts; the statement is public
    await page.getByRole("link", { name: "Modération" }).click();
    await reloadUntil(page, "C'est de la publicité");
    expect(await main(page)).toContain("Achetez mes montres");
    await page.getByText("Masquer la réponse…").click();
    await page.getByLabel("Règle en vigueur qui s'applique").first().selectOption("Pas de publicité.");
    await page.getByLabel("Faits").first().fill("La réponse fait la publicité d'une boutique de montres.");
    await shot(page, "moderation");
    await page.getByRole("button", { name: "Masquer cette réponse" }).click();
    expect(await page.getByRole("status").innerText()).toContain("Décision prise et publiée.");
    expect(await main(page)).toContain("Aucun signalement ouvert.");
    await page.getByRole("link", { name: /Entrée n° \d+ du registre public/ }).click();
    expect(await page.locator("body").innerText()).toContain("La réponse fait la publicité d'une boutique de montres.");
    await page.goBack();
    await page.getByRole("link", { name: "Page publique de modération" }).click();
    const publicLog = await page.locator("body").innerText();
    expect(publicLog).toContain("La réponse fait la publicité d'une boutique de montres.");
    expect(publicLog).toContain("Pas de publicité.");
    expect(publicLog).not.toContain("rita");

    // a burst of fearful replies this week, from twelve people
    for (const [i, u] of people.entries()) expect((await reply(u, FEARFUL[i % FEARFUL.length])).status).toBe(202);
    await page.goto(`${ensemble.origin}/console/campaigns/${campaign.id}`);
    // the inbox is a queue: once all twelve replies are in, 2 of 14 followers are left silent (rita only flagged)
    await reloadUntil(page, "2 abonnés sur 14 n'ont ni répondu ni voté");
    await reloadUntil(page, "L'inquiétude monte");
    const card = page.getByRole("region", { name: "L'inquiétude monte" });
    expect(await card.innerText()).toMatch(/environ \d+ % des personnes qui ont répondu ont exprimé de la peur/);
    await shot(page, "campaign");
    await page.getByRole("link", { name: "L'humeur semaine par semaine" }).click();
    expect(await page.locator("table").count()).toBeGreaterThanOrEqual(3);
    expect(await main(page)).toMatch(/Peur\s+\d+ % \(\d+ % à \d+ %\)/);
    // aggregates only: no author and no reply text on the listening page
    expect(await main(page)).not.toContain("p1");
    expect(await main(page)).not.toContain("inquiète");
    await shot(page, "listening");
    await page.goBack();

    // the proposed update: a draft with the campaign's context, edited, then posted
    await card.getByRole("link", { name: "Répondre aux inquiétudes dans une nouvelle" }).click();
    const draft = page.getByLabel("Nouvelle (Markdown)");
    expect(await draft.inputValue()).toContain("Merci pour vos réponses à « Rue Jeanne-d'Arc à vélo »");
    await draft.fill(
      (await draft.inputValue()).replace(
        "…",
        "la rue sera fermée aux voitures aux heures d'école, avec des bénévoles aux carrefours.",
      ),
    );
    await page.getByRole("button", { name: "Publier une nouvelle" }).click();
    expect(await page.getByRole("status").first().innerText()).toBe("La nouvelle a été publiée.");
    const delivered = await peer.waitForDelivery(
      (d) => d.body?.type === "Create" && String(d.body.object?.content ?? "").includes("bénévoles aux carrefours"),
    );
    expect(delivered.verified).toBe(true);

    // a follow-up campaign, pre-filled from this one (what a joy card proposes), saved as a draft
    // that shows the whole post, then the publish page, which asks before anything goes out
    await page.goto(`${ensemble.origin}/console/campaigns/new?from=${campaign.id}`);
    expect(await page.getByLabel("Titre").inputValue()).toBe("Petit pas suivant après « Rue Jeanne-d'Arc à vélo »");
    expect(await page.getByLabel("Hashtags (séparés par des espaces)").inputValue()).toBe("#velo");
    await page.getByLabel("Étape 1", { exact: true }).fill("Venir au conseil de quartier");
    await shot(page, "campaign-form");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    expect(await page.locator(".toot").innerText()).toContain("#velo");
    await page.getByRole("link", { name: "Publier…" }).click();
    expect(await page.getByRole("button", { name: "Publier maintenant" }).count()).toBe(1);
    await shot(page, "publish");

    // every page of the console fits the screen: nothing wider than the viewport
    for (const path of [
      "/console",
      "/console/moderation",
      "/console/governance",
      "/console/account",
      `/console/campaigns/${campaign.id}/listening`,
    ]) {
      await page.goto(`${ensemble.origin}${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(screen.viewport.width);
    }
    await page.goto(`${ensemble.origin}/console`);
    await shot(page, "dashboard");
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
