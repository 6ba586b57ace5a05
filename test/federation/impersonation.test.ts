import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../src/domain/campaigns";
import { findInboundNote } from "../../src/domain/notes";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";
import { openCampaign, reportRowsOf } from "../helpers/open-campaign";

const AS = "https://www.w3.org/ns/activitystreams";
const PUBLIC = `${AS}#Public`;

// FEP-fe34: an activity speaks for its actor only when signed by a key of the actor's own
// origin that the actor's own document lists. Two independent servers on loopback: `home`
// hosts bob and alice; `forger` is another origin that tries to speak for bob.
describe.each(databaseKinds)("origin-based security at the inbox (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let home: Peer;
  let forger: Peer;
  let campaign: Campaign;
  let questionId: string;
  let n = 0;

  const reply = (author: string, text: string) => {
    const note = {
      id: `${home.origin}/users/${author.split("/").pop()}/statuses/${++n}`,
      type: "Note",
      attributedTo: author,
      inReplyTo: questionId,
      content: `<p>${text}</p>`,
      to: PUBLIC,
    };
    return { "@context": AS, id: `${note.id}/activity`, type: "Create", actor: author, to: PUBLIC, object: note };
  };
  const reportRows = (author: string) => reportRowsOf(ensemble, author);
  const campaignPage = async () =>
    (await fetch(`${ensemble.origin}/communities/climat/campaigns/${campaign.id}`)).text();

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    home = await startPeer({ usernames: ["alice", "bob"], loneKeys: { rogue: { owner: "bob" } } });
    forger = await startPeer({ usernames: ["mallory"], keyOwners: { mallory: home.actorUrl("bob") } });
    ({ campaign, questionId } = await openCampaign(ensemble));
  }, 60_000);
  afterAll(async () => {
    await home?.close();
    await forger?.close();
    await ensemble?.stop();
  });

  it("a key document on another server naming bob as owner cannot speak for bob: 401, and the reply is nowhere", async () => {
    // the forger's key says `owner: bob`, which Fedify alone would take at its word
    const forged = reply(home.actorUrl("bob"), "Forged words put in bob's mouth");
    const res = await forger.signedPost(`${ensemble.origin}/inbox`, forged, { username: "mallory" });
    expect(res.status).toBe(401);

    // a genuine reply sent after it is stored: the queue has run past the forged one
    const genuine = reply(home.actorUrl("alice"), "Genuine words from alice");
    expect((await home.signedPost(`${ensemble.origin}/inbox`, genuine, { username: "alice" })).status).toBe(202);
    await waitFor(() => findInboundNote(ensemble.services.db, genuine.object.id));
    await new Promise((r) => setTimeout(r, 500));

    expect(await findInboundNote(ensemble.services.db, forged.object.id)).toBeUndefined();
    const page = await campaignPage();
    expect(page).toContain("Genuine words from alice");
    expect(page).not.toContain("Forged words");
    expect(await reportRows(home.actorUrl("alice"))).toBeGreaterThan(0);
    expect(await reportRows(home.actorUrl("bob"))).toBe(0);
  });

  it("a key on the actor's own server that the actor does not list: 401", async () => {
    // the lone key says `owner: bob` and lives on bob's server, but bob's document lists only its main key
    const res = await home.signedPost(`${ensemble.origin}/inbox`, reply(home.actorUrl("bob"), "Unlisted key words"), {
      loneKey: "rogue",
    });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await campaignPage()).not.toContain("Unlisted key words");
    expect(await reportRows(home.actorUrl("bob"))).toBe(0);
  });

  it("a genuine author cannot claim a note IRI of another server", async () => {
    const squat = reply(home.actorUrl("alice"), "Squatting another server's note IRI");
    squat.object.id = `${forger.origin}/statuses/1`;
    const genuine = reply(home.actorUrl("alice"), "Genuine after the squat");
    expect((await home.signedPost(`${ensemble.origin}/inbox`, squat, { username: "alice" })).status).toBe(202);
    expect((await home.signedPost(`${ensemble.origin}/inbox`, genuine, { username: "alice" })).status).toBe(202);
    await waitFor(() => findInboundNote(ensemble.services.db, genuine.object.id));
    await new Promise((r) => setTimeout(r, 500));
    expect(await findInboundNote(ensemble.services.db, squat.object.id)).toBeUndefined();
  });

  it("a cross-origin keyId is refused before any key is fetched", async () => {
    // only fetches of mallory's actor and key count: the squatted note above may still be fetched by its job
    const keyFetches = () => forger.fetches.filter((f) => f.path.startsWith("/users/")).length;
    const before = keyFetches();
    const res = await forger.signedPost(`${ensemble.origin}/inbox`, reply(home.actorUrl("alice"), "Cheap forgery"), {
      username: "mallory",
    });
    expect(res.status).toBe(401);
    expect(keyFetches()).toBe(before);
  });

  it("a Linked Data Signature or Object Integrity Proof by a key of another origin: 401, even under a genuine HTTP signature", async () => {
    const ld = {
      ...reply(home.actorUrl("alice"), "LD forgery"),
      signature: {
        type: "RsaSignature2017",
        creator: `${forger.origin}/users/mallory#main-key`,
        created: new Date().toISOString(),
        signatureValue: "AAAA",
      },
    };
    expect((await home.signedPost(`${ensemble.origin}/inbox`, ld, { username: "alice" })).status).toBe(401);
    const proof = {
      ...reply(home.actorUrl("alice"), "Proof forgery"),
      proof: {
        type: "DataIntegrityProof",
        cryptosuite: "eddsa-jcs-2022",
        verificationMethod: `${forger.origin}/users/mallory#ed25519-key`,
        proofPurpose: "assertionMethod",
        proofValue: "z1",
      },
    };
    expect((await home.signedPost(`${ensemble.origin}/inbox`, proof, { username: "alice" })).status).toBe(401);
    const aliased = {
      ...reply(home.actorUrl("alice"), "Aliased proof"),
      "@context": [AS, { p: "https://w3id.org/security#proof" }],
      p: { verificationMethod: `${forger.origin}/k` },
    };
    expect((await home.signedPost(`${ensemble.origin}/inbox`, aliased, { username: "alice" })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500));
    expect(await campaignPage()).not.toMatch(/LD forgery|Proof forgery|Aliased proof/);
  });

  it("an activity nested deeper than 64 levels: 400 before any JSON-LD work", async () => {
    let deep: unknown = "x";
    for (let i = 0; i < 70; i++) deep = { a: deep };
    const res = await home.signedPost(
      `${ensemble.origin}/inbox`,
      { ...reply(home.actorUrl("alice"), "Deep"), extra: deep },
      { username: "alice" },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).detail).toMatch(/deeper than 64/);
    let shallow: unknown = "x";
    for (let i = 0; i < 40; i++) shallow = { a: shallow };
    const ok = reply(home.actorUrl("alice"), "Shallow but nested");
    expect(
      (await home.signedPost(`${ensemble.origin}/inbox`, { ...ok, extra: shallow }, { username: "alice" })).status,
    ).toBe(202);
  });
});
