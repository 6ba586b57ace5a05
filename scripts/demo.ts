// `npm run demo`: Ensemble on the embedded database (./demo-data), with a sample community, a
// campaign, a few dozen replies in French and English and votes, so every public page has
// something to show. The sample accounts live on a sample fediverse server started in this same
// process on 127.0.0.1 (the tests' Mastodon-like peer): their follows, votes and replies are
// signed and arrive through the real inbox, where they are checked, counted and scored.

import { pathToFileURL } from "node:url";
import { getLogger } from "@logtape/logtape";
import { count, eq } from "drizzle-orm";
import { inboundNotes } from "../drizzle/schema";
import { loadConfig } from "../src/config";
import { createCommunity, findCommunity } from "../src/domain/communities";
import { issueToken } from "../src/domain/tokens";
import { setupLogging } from "../src/logging";
import { startEnsemble, type Ensemble } from "../src/server";
import { startPeer, type Peer } from "../test/helpers/mastodon-peer";

const AS = "https://www.w3.org/ns/activitystreams";

/** Sample accounts: username and display name. */
const people: Array<[string, string]> = [
  ["camille", "Camille D."],
  ["sami", "Sami"],
  ["lea", "Léa 🌱"],
  ["hugo", "Hugo B."],
  ["ines", "Inès"],
  ["marc", "Marc"],
  ["nora", "Nora K."],
  ["theo", "Théo"],
  ["julie", "Julie"],
  ["yanis", "Yanis"],
  ["chloe", "Chloé"],
  ["paul", "Paul R."],
  ["emma", "Emma"],
  ["liam", "Liam O'Brien"],
  ["ava", "Ava"],
  ["noah", "Noah"],
  ["mia", "Mia"],
  ["lucas", "Lucas"],
  ["zoe", "Zoé"],
  ["adam", "Adam"],
  ["sarah", "Sarah"],
  ["omar", "Omar"],
  ["anna", "Anna"],
  ["tom", "Tom"],
  ["jade", "Jade"],
  ["rose", "Rose"],
  ["max", "Max"],
  ["lina", "Lina"],
  ["eli", "Eli"],
  ["ruth", "Ruth"],
];

/** Replies, each from a different account (the first 30), in the author's language. */
const replies: Array<[lang: string, text: string]> = [
  ["fr", "Super initiative, je viens samedi avec mes enfants !"],
  ["fr", "Enfin une action concrète pour l'air de Rouen, merci."],
  ["fr", "J'ai signé la lettre. Bravo à toute l'équipe !"],
  ["fr", "Je suis inquiète : la pollution près des écoles ne baisse pas."],
  ["fr", "Ça m'énerve que la mairie n'ait toujours pas répondu."],
  ["fr", "Merci pour l'organisation, c'est très motivant."],
  ["fr", "J'ai peur que ça ne change rien, mais je participe quand même."],
  ["fr", "Génial ! Je partage autour de moi."],
  ["fr", "Le nettoyage des berges de la Seine, j'adore l'idée."],
  ["fr", "Pourquoi pas une pétition en ligne aussi ?"],
  ["fr", "Je suis triste de voir autant de déchets dans le parc."],
  ["fr", "Trop bien, je serai là à 10 h."],
  ["fr", "C'est scandaleux que rien ne bouge depuis trois ans."],
  ["fr", "Quelle belle énergie dans ce collectif !"],
  ["fr", "Je ne suis pas sûr que la préfecture lise nos lettres."],
  ["fr", "Merci, c'est exactement ce qu'il fallait."],
  ["en", "Great idea, count me in for Saturday!"],
  ["en", "Thanks for organising this, really inspiring."],
  ["en", "I'm worried about the air quality near the schools."],
  ["en", "So frustrating that the council keeps ignoring us."],
  ["en", "Signed the letter. Let's keep going!"],
  ["en", "Love this. Sharing with my neighbours."],
  ["en", "I'm scared nothing will change, but I'll be there."],
  ["en", "What a lovely community, thank you all."],
  ["en", "Is there a plan B if the prefect says no?"],
  ["en", "Sad to see so much litter along the river."],
  ["en", "Brilliant, see you at the clean-up."],
  ["en", "Honestly angry about the lack of bike lanes."],
  ["en", "Happy to help with the flyers."],
  ["en", "Curious how many people will turn up."],
];

export interface Demo {
  ensemble: Ensemble;
  origin: string;
  peer: Peer;
  campaignUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the demo. `env` overrides the environment (tests pass a memory database and a port).
 * An already seeded data folder is started as it is: the sample data is written once.
 */
export async function startDemo(env: Record<string, string | undefined> = process.env): Promise<Demo> {
  const config = loadConfig({
    ENSEMBLE_DATA_DIR: "./demo-data",
    ENSEMBLE_CONTACT: "demo@ensemble.example",
    ...env,
    // the sample server is on 127.0.0.1: allowed for this demo only
    ENSEMBLE_ALLOW_PRIVATE_ADDRESS: "true",
  });
  const ensemble = await startEnsemble(config);
  const origin = config.origin;
  const peer = await startPeer({ usernames: people.map(([u]) => u), displayNames: Object.fromEntries(people) });
  const db = ensemble.services.db;
  const seeded = await findCommunity(db, "climat");
  let campaignUrl = "";
  if (!seeded) campaignUrl = await seed(ensemble, origin, peer);
  return {
    ensemble,
    origin,
    peer,
    campaignUrl,
    async close() {
      await peer.close();
      await ensemble.close();
    },
  };
}

async function seed(ensemble: Ensemble, origin: string, peer: Peer): Promise<string> {
  const db = ensemble.services.db;
  const community = await createCommunity(db, {
    handle: "climat",
    name: "Climat Rouen",
    summary: "Agir ensemble pour le climat à Rouen : qualité de l'air, vélo, berges de Seine.",
  });
  const token = await issueToken(db, origin, community, { label: "demo steward" });
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${origin}/api/v1/communities/climat${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await api("PUT", "/governance/rules", {
    text: "1. Respect everyone; no insults or harassment.\n2. Stay on topic: the climate in Rouen.\n3. No advertising.",
  });

  // followers first, so the campaign reaches them as a post with a poll
  let n = 0;
  const send = (username: string, activity: Record<string, unknown>) =>
    peer.signedPost(
      `${origin}/inbox`,
      { "@context": AS, id: `${peer.origin}/activities/${++n}`, actor: peer.actorUrl(username), ...activity },
      { username },
    );
  for (const [username] of people) await send(username, { type: "Follow", object: `${origin}/communities/climat` });

  const day = 86_400_000;
  const steps = ["Signer la lettre au préfet", "Venir au nettoyage samedi", "Partager la campagne"];
  const campaign = await api("POST", "/campaigns", {
    title: "Rouen respire : trois gestes pour l'air",
    description:
      "La qualité de l'air près des écoles de Rouen dépasse les seuils **un jour sur cinq**.\n\nNous proposons trois gestes simples :\n\n- signer la lettre au préfet ;\n- venir au nettoyage des berges samedi ;\n- partager la campagne autour de vous.",
    steps,
    startsAt: new Date(Date.now() - 3 * day).toISOString(),
    endsAt: new Date(Date.now() + 27 * day).toISOString(),
    goal: 50,
    language: "fr",
    hashtags: ["climat", "rouen"],
  });
  await api("POST", `/campaigns/${campaign.id}/publish`);
  await api("POST", `/campaigns/${campaign.id}/updates`, {
    content: "**Merci !** Déjà plus de vingt personnes engagées. Rendez-vous samedi à *10 h* quai de la Bourse.",
  });
  const questionId = `${origin}/communities/climat/campaigns/${campaign.id}`;

  // votes: a Mastodon vote is a Note named after the option, in reply to the poll
  for (const [i, [username]] of people.entries()) {
    const chosen = steps.filter((_, s) => (i + s) % 3 !== 2 || i % 5 === 0);
    for (const option of chosen) {
      const note = {
        id: `${peer.origin}/votes/${++n}`,
        type: "Note",
        name: option,
        attributedTo: peer.actorUrl(username),
        inReplyTo: questionId,
        to: `${origin}/communities/climat`,
      };
      await send(username, { type: "Create", to: note.to, object: note });
    }
  }
  // replies, public, each in its author's language
  for (const [i, [lang, text]] of replies.entries()) {
    const username = people[i % people.length][0];
    const id = `${peer.origin}/notes/${++n}`;
    const note = {
      id,
      type: "Note",
      attributedTo: peer.actorUrl(username),
      inReplyTo: questionId,
      contentMap: { [lang]: `<p>${text}</p>` },
      published: new Date(Date.now() - (replies.length - i) * 3 * 3_600_000).toISOString(),
      to: `${AS}#Public`,
      cc: `${origin}/communities/climat`,
    };
    await send(username, { type: "Create", to: note.to, object: note });
  }
  // one moderation decision, so the moderation log and the public record have an entry
  const spamId = `${peer.origin}/notes/${++n}`;
  await send("max", {
    type: "Create",
    to: `${AS}#Public`,
    object: {
      id: spamId,
      type: "Note",
      attributedTo: peer.actorUrl("max"),
      inReplyTo: questionId,
      contentMap: { fr: "<p>Achetez nos purificateurs d'air, -50 % !</p>" },
      to: `${AS}#Public`,
    },
  });
  // the inbox works through its queue: wait until every reply is stored and scored
  for (let i = 0; i < 300 && (await countReplies(db, campaign.id)) < replies.length + 1; i++)
    await new Promise((r) => setTimeout(r, 200));
  await api("POST", "/moderation/hide", {
    note: spamId,
    rule: "3. No advertising.",
    facts: "The reply advertised a commercial product.",
  });
  return questionId;
}
async function countReplies(db: Ensemble["services"]["db"], campaignId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(inboundNotes).where(eq(inboundNotes.campaignId, campaignId));
  return row.n;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await setupLogging("info", "pretty");
  const demo = await startDemo();
  const logger = getLogger(["ensemble"]);
  logger.info("Demo ready: open {origin} (data in {dir}; delete that folder to start afresh)", {
    origin: demo.origin,
    dir: demo.ensemble.services.config.dataDir,
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      await demo.close();
      process.exit(0);
    });
  }
}
