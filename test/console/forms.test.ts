// The console's moderation, governance and session forms over plain HTTP, as a browser (or an
// attacker) sends them: each refuses a cross-site POST, a POST without the session's token, a
// visitor without a session and a steward of another community, and changes nothing when it does.
import { Temporal } from "@js-temporal/polyfill";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blocks, communityRoles, communityRules, inboundNotes, moderationFlags } from "../../drizzle/schema";
import { createInvite } from "../../src/domain/invites";
import { addBlock } from "../../src/domain/blocks";
import { createCampaign, listCampaigns, publishCampaign } from "../../src/domain/campaigns";
import { createCommunity, type Community } from "../../src/domain/communities";
import { storeFlag } from "../../src/domain/moderation";
import { storeInboundNote } from "../../src/domain/notes";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, waitFor, type TestEnsemble } from "../helpers/ensemble";
import { startPeer, type Peer } from "../helpers/mastodon-peer";

const DAY = 86_400_000;

describe.each(databaseKinds)("console moderation and governance forms (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let mastodon: Peer;
  let climat: Community;
  const reply = "https://elsewhere.example/notes/spam";

  const get = (path: string, cookie = "") =>
    fetch(`${ensemble.origin}${path}`, { headers: { cookie }, redirect: "manual" });
  const post = (path: string, form: Record<string, string>, cookie = "", headers: Record<string, string> = {}) =>
    fetch(`${ensemble.origin}${path}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { cookie, origin: ensemble.origin, "sec-fetch-site": "same-origin", ...headers },
      redirect: "manual",
    });
  const signIn = async (handle = "climat", label = "alice") => {
    const res = await post("/console/signin", { token: await createInvite(ensemble.services.db, handle, label) });
    expect(res.status).toBe(303);
    return res.headers.get("set-cookie")!.split(";")[0];
  };
  const csrfOf = async (cookie: string) =>
    /name="csrf" value="([^"]+)"/.exec(await (await get("/console", cookie)).text())![1];
  const db = () => ensemble.services.db;
  const flagId = async () =>
    (await db().select().from(moderationFlags).where(eq(moderationFlags.communityId, climat.id)))[0].id;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    mastodon = await startPeer({ usernames: ["camille", "rita"] });
    climat = await createCommunity(db(), { handle: "climat", name: "Climat Rouen" });
    await createCommunity(db(), { handle: "velo", name: "Vélo Rouen" });
    await db().insert(inboundNotes).values({
      iri: reply,
      communityId: climat.id,
      authorIri: "https://elsewhere.example/users/spammer",
      contentHtml: "<p>Buy <b>now</b></p>",
      text: "Buy now <script>",
      published: new Date(),
    });
    await storeFlag(db(), {
      communityId: climat.id,
      reporterIri: mastodon.actorUrl("rita"),
      activityIri: `${mastodon.origin}/flags/1`,
      objectIris: [reply],
      content: "Spam, says rita",
    });
  }, 120_000);
  afterAll(async () => {
    await mastodon?.close();
    await ensemble?.stop();
  });

  it("refuses every new form cross-site, without the session's token, signed out, or from another community, changing nothing", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const velo = await signIn("velo", "bob");
    const veloCsrf = await csrfOf(velo);
    const id = await flagId();
    const forms: Array<[string, Record<string, string>]> = [
      ["/console/moderation/hide", { note: reply, rule: "No advertising.", facts: "An advert.", report: id }],
      [
        "/console/moderation/block",
        {
          kind: "actor",
          value: "https://elsewhere.example/users/spammer",
          rule: "No advertising.",
          facts: "An advert.",
        },
      ],
      [
        "/console/moderation/lift",
        { kind: "actor", value: "https://elsewhere.example/users/spammer", facts: "Changed." },
      ],
      [`/console/moderation/reports/${id}/reject`, { facts: "Nothing wrong." }],
      ["/console/governance/rules", { text: "No advertising.", intent: "save" }],
      ["/console/governance/roles", { handle: `camille@${mastodon.host}`, role: "moderator" }],
    ];
    for (const [path, form] of forms) {
      const crossSite = await post(path, { ...form, csrf }, cookie, {
        origin: "https://evil.example",
        "sec-fetch-site": "cross-site",
      });
      expect(crossSite.status, path).toBe(403);
      expect((await post(path, { ...form, csrf: "forged" }, cookie)).status, path).toBe(403);
      expect((await post(path, form, cookie)).status, path).toBe(403);
      expect((await post(path, { ...form, csrf })).status, path).toBe(401);
    }
    // a steward of another community acts on their own community only: climat's flag and reply are not theirs
    expect((await post(`/console/moderation/reports/${id}/reject`, { facts: "x", csrf: veloCsrf }, velo)).status).toBe(
      404,
    );
    expect(
      (await post("/console/moderation/hide", { note: reply, facts: "x", rule: "x", csrf: veloCsrf }, velo)).status,
    ).toBe(409); // velo has no rules
    expect((await db().select().from(moderationFlags))[0].status).toBe("open");
    expect((await db().select().from(inboundNotes))[0].hidden).toBe(false);
    expect(await db().select().from(communityRules)).toHaveLength(0);
    expect(await db().select().from(communityRoles)).toHaveLength(0);
    expect(await db().select().from(blocks)).toHaveLength(0);
    // the passkey script's JSON calls need the token too, in a header
    const json = (path: string, token?: string) =>
      fetch(`${ensemble.origin}${path}`, {
        method: "POST",
        body: "{}",
        headers: {
          cookie,
          "content-type": "application/json",
          origin: ensemble.origin,
          "sec-fetch-site": "same-origin",
          ...(token ? { "x-csrf-token": token } : {}),
        },
      });
    expect((await json("/console/passkeys/register/options")).status).toBe(403);
    const options = await json("/console/passkeys/register/options", csrf);
    expect(options.status).toBe(200);
    expect((await options.json()).options.authenticatorSelection.residentKey).toBe("required");
  });

  it("handles a flag: the rule is quoted from the rules in force, and the statement is public, in the record", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    // no rules yet: the page says a decision needs one
    expect(await (await get("/console/moderation", cookie)).text()).toContain("must rest on a published rule");
    // rules: review shows the diff, only the confirmation saves
    const review = await post(
      "/console/governance/rules",
      { csrf, text: "No advertising.\nBe kind.", intent: "preview" },
      cookie,
    );
    const diff = await review.text();
    expect(diff).toContain("<ins>+ No advertising.</ins>");
    expect(await db().select().from(communityRules)).toHaveLength(0);
    expect(
      (await post("/console/governance/rules", { csrf, text: "No advertising.\nBe kind.", intent: "save" }, cookie))
        .status,
    ).toBe(303);
    const change = await (
      await post(
        "/console/governance/rules",
        { csrf, text: "No advertising.\nBe kind to everyone.", intent: "preview" },
        cookie,
      )
    ).text();
    expect(change).toContain("<del>− Be kind.</del>");
    expect(change).toContain("<ins>+ Be kind to everyone.</ins>");

    const page = await (await get("/console/moderation", cookie)).text();
    expect(page).toContain("Spam, says rita");
    expect(page).toContain("Buy now &lt;script&gt;"); // the reported reply, as escaped plain text
    expect(page).toContain('<option value="No advertising.">');

    const id = await flagId();
    // a rule that is not in force, and empty facts, are refused with a clear message
    const bad = await post(
      "/console/moderation/hide",
      { csrf, note: reply, report: id, rule: "Made up.", facts: "An advert." },
      cookie,
    );
    expect(bad.status).toBe(409);
    expect(await bad.text()).toContain("not part of the rules in force");
    const noFacts = await post(
      "/console/moderation/hide",
      { csrf, note: reply, report: id, rule: "No advertising.", facts: " " },
      cookie,
    );
    expect(noFacts.status).toBe(422);
    expect(await noFacts.text()).toContain("Write the facts");

    const done = await post(
      "/console/moderation/hide",
      { csrf, note: reply, report: id, rule: "No advertising.", facts: "The reply advertises a shop." },
      cookie,
    );
    expect(done.status).toBe(303);
    const location = done.headers.get("location")!;
    const index = Number(new URL(location, ensemble.origin).searchParams.get("record"));
    const notice = await (await get(location, cookie)).text();
    expect(notice).toContain(`href="/transparency/records/${index}"`);
    const record = await (await fetch(`${ensemble.origin}/transparency/records/${index}`)).text();
    expect(record).toContain("The reply advertises a shop.");
    expect(record).not.toContain("rita");
    const publicLog = await (await fetch(`${ensemble.origin}/communities/climat/moderation`)).text();
    expect(publicLog).toContain("The reply advertises a shop.");
    expect(publicLog).not.toContain("rita");
    expect((await db().select().from(inboundNotes))[0].hidden).toBe(true);
    // the flag is dealt with: a second decision on it is refused
    expect((await post(`/console/moderation/reports/${id}/reject`, { csrf, facts: "Late." }, cookie)).status).toBe(409);

    // block the account, then lift the block: both public acts
    expect(
      (
        await post(
          "/console/moderation/block",
          {
            csrf,
            kind: "actor",
            value: "https://elsewhere.example/users/spammer",
            rule: "No advertising.",
            facts: "Repeated adverts.",
          },
          cookie,
        )
      ).status,
    ).toBe(303);
    expect(await (await get("/console/moderation", cookie)).text()).toContain(
      "Account https://elsewhere.example/users/spammer",
    );
    expect(
      (
        await post(
          "/console/moderation/lift",
          { csrf, kind: "actor", value: "https://elsewhere.example/users/spammer", facts: "Apologised." },
          cookie,
        )
      ).status,
    ).toBe(303);
    expect(await db().select().from(blocks)).toHaveLength(0);
  });

  it("appoints by fediverse handle through WebFinger, invites a steward by a one-time link, removes a role", async () => {
    const cookie = await signIn();
    const csrf = await csrfOf(cookie);
    const unknown = await post(
      "/console/governance/roles",
      { csrf, handle: `nobody@${mastodon.host}`, role: "moderator" },
      cookie,
    );
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain(`No account @nobody@${mastodon.host} was found`);
    expect(
      (await post("/console/governance/roles", { csrf, handle: "not a handle", role: "moderator" }, cookie)).status,
    ).toBe(422);
    expect(await db().select().from(communityRoles)).toHaveLength(0);

    expect(
      (await post("/console/governance/roles", { csrf, handle: `@camille@${mastodon.host}`, role: "steward" }, cookie))
        .status,
    ).toBe(303);
    const [role] = await db().select().from(communityRoles);
    expect(role).toMatchObject({ actor: mastodon.actorUrl("camille"), role: "steward", appointedBy: "alice" });
    expect(await (await fetch(`${ensemble.origin}/communities/climat/governance`)).text()).toContain(
      mastodon.actorUrl("camille"),
    );

    // the link signs camille in once, under her account's name
    const invite = await (await post(`/console/governance/roles/${role.id}/invite`, { csrf }, cookie)).text();
    const link = /(http:\/\/[^<"]+\/console\/signin\?token=[\w-]+)/.exec(invite)![1];
    const token = new URL(link).searchParams.get("token")!;
    const camille = await post("/console/signin", { token });
    expect(camille.status).toBe(303);
    expect((await post("/console/signin", { token })).status).toBe(403);
    const camilleCookie = camille.headers.get("set-cookie")!.split(";")[0];
    expect(await (await get("/console/account", camilleCookie)).text()).toContain(
      `signed in as ${mastodon.actorUrl("camille")}`,
    );

    // a second link made before the removal
    const spare = /(http:\/\/[^<"]+\/console\/signin\?token=[\w-]+)/.exec(
      await (await post(`/console/governance/roles/${role.id}/invite`, { csrf }, cookie)).text(),
    )![1];
    expect((await post(`/console/governance/roles/${role.id}/remove`, { csrf }, cookie)).status).toBe(303);
    expect((await db().select().from(communityRoles))[0].removedAt).not.toBeNull();
    // removing the role ends camille's session, and her unused link no longer signs her in
    expect((await get("/console", camilleCookie)).status).toBe(401);
    expect((await post("/console/signin", { token: new URL(spare).searchParams.get("token")! })).status).toBe(403);
    expect((await post(`/console/governance/roles/${role.id}/remove`, { csrf }, cookie)).status).toBe(404);
  });

  it("lists the community's sessions; ending one signs that browser out", async () => {
    const first = await signIn("climat", "alice");
    const second = await signIn("climat", "dominique");
    const page = await (await get("/console/account", first)).text();
    expect(page).toContain("dominique");
    expect(page).toContain("this browser");
    const ids = [...page.matchAll(/action="\/console\/sessions\/([\w-]+)\/revoke"/g)].map((m) => m[1]);
    // the one that is not "this browser" for `first`… is found by revoking from `second`'s view of itself
    const secondPage = await (await get("/console/account", second)).text();
    const own =
      /<h3 id="s-\d+">dominique <span class="badge">this browser[\s\S]*?action="\/console\/sessions\/([\w-]+)\/revoke"/.exec(
        secondPage,
      )![1];
    expect(ids).toContain(own);
    expect((await post(`/console/sessions/${own}/revoke`, { csrf: await csrfOf(first) }, first)).status).toBe(303);
    const after = await get("/console", second);
    expect(after.status).toBe(401);
    expect(await after.text()).toContain("Sign in with a passkey");
    expect((await get("/console", first)).status).toBe(200);
    // sign-in with a forged passkey answer fails, and starts no session
    const forged = await fetch(`${ensemble.origin}/console/passkeys/login`, {
      method: "POST",
      body: JSON.stringify({ response: { id: "abc", response: {} } }),
      headers: { "content-type": "application/json", origin: ensemble.origin, "sec-fetch-site": "same-origin" },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get("set-cookie") ?? "").not.toContain("ensemble_console=ey");
  });
});

describe.each(databaseKinds)("console campaign safeguards (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let climat: Community;
  const get = (path: string, cookie = "") =>
    fetch(`${ensemble.origin}${path}`, { headers: { cookie }, redirect: "manual" });
  const post = (path: string, form: Record<string, string>, cookie = "") =>
    fetch(`${ensemble.origin}${path}`, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { cookie, origin: ensemble.origin, "sec-fetch-site": "same-origin" },
      redirect: "manual",
    });
  const local = (d: Date, zone: string) =>
    Temporal.Instant.fromEpochMilliseconds(d.getTime())
      .toZonedDateTimeISO(zone)
      .toPlainDateTime()
      .toString({ smallestUnit: "minute" });
  let cookie = "";
  let csrf = "";

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    climat = await createCommunity(ensemble.services.db, { handle: "climat", name: "Climat Rouen" });
    const res = await post("/console/signin", { token: await createInvite(ensemble.services.db, "climat", "alice") });
    cookie = `${res.headers.get("set-cookie")!.split(";")[0]}; tz=Europe%2FParis`;
    csrf = /name="csrf" value="([^"]+)"/.exec(await (await get("/console", cookie)).text())![1];
  }, 120_000);
  afterAll(async () => ensemble?.stop());

  const create = async (startsAt: Date, endsAt: Date) => {
    const form = {
      csrf,
      title: `Campagne ${Math.random()}`,
      steps: "Venir",
      startsAt: local(startsAt, "Europe/Paris"),
      endsAt: local(endsAt, "Europe/Paris"),
      language: "fr",
      timeZone: "Europe/Paris",
      intent: "save",
    };
    const res = await post("/console/campaigns/new", form, cookie);
    expect(res.status).toBe(303);
    return /campaigns\/([\w-]+)/.exec(res.headers.get("location")!)![1];
  };

  it("reads and shows dates in the steward's time zone, naming it; offers languages as a list", async () => {
    const page = await (await get("/console/campaigns/new", cookie)).text();
    expect(page).toContain("Start (time in Europe/Paris)");
    expect(page).toMatch(/<select[^>]*name="language"/);
    expect(page).toContain('<option value="en" selected="">English (en)</option>'); // the console's language, by default
    expect(page).toContain('<option value="fr">French (fr)</option>');
    // 10:00 in Paris in January is 09:00 UTC
    const res = await post(
      "/console/campaigns/new",
      {
        csrf,
        title: "Hiver",
        steps: "Venir",
        startsAt: "2031-01-15T10:00",
        endsAt: "2031-02-15T10:00",
        language: "fr",
        timeZone: "Europe/Paris",
        intent: "save",
      },
      cookie,
    );
    const id = /campaigns\/([\w-]+)/.exec(res.headers.get("location")!)![1];
    const [campaign] = await listCampaigns(ensemble.services.db, climat.id, { includeDrafts: true }).then((l) =>
      l.filter((x) => x.id === id),
    );
    expect(campaign.startsAt.toISOString()).toBe("2031-01-15T09:00:00.000Z");
    const shown = await (await get(`/console/campaigns/${id}`, cookie)).text();
    expect(shown).toContain("15 Jan 2031, 10:00 (Europe/Paris)");
  });

  it("asks before publishing, refuses a campaign whose end has passed, and schedules one that starts later", async () => {
    const ended = await create(new Date(Date.now() - 10 * DAY), new Date(Date.now() - DAY));
    const confirm = await (await get(`/console/campaigns/${ended}/publish`, cookie)).text();
    expect(confirm).toContain("has passed: nobody could answer the poll");
    expect(confirm).not.toContain('value="now"');
    const refused = await post(`/console/campaigns/${ended}/publish`, { csrf, intent: "now" }, cookie);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("its end has passed");

    // a draft starting in a few seconds: scheduled, it goes out by itself at its start
    const soon = await create(new Date(Date.now() + 61_000), new Date(Date.now() + 10 * DAY));
    const page = await (await get(`/console/campaigns/${soon}/publish`, cookie)).text();
    expect(page).toContain('value="schedule"');
    expect(page).toContain('value="now"');
    expect((await post(`/console/campaigns/${soon}/publish`, { csrf, intent: "schedule" }, cookie)).status).toBe(303);
    expect(await (await get(`/console/campaigns/${soon}`, cookie)).text()).toContain(
      "Scheduled: it will be published on",
    );
    const status = async () =>
      (await listCampaigns(ensemble.services.db, climat.id, { includeDrafts: true })).find((x) => x.id === soon)!
        .status;
    expect(await status()).toBe("draft");
    await waitFor(async () => ((await status()) === "open" ? true : undefined), 120_000);
    const published = (await listCampaigns(ensemble.services.db, climat.id)).find((x) => x.id === soon)!;
    expect(published.publishedAt!.getTime()).toBeGreaterThanOrEqual(published.startsAt.getTime());

    // closing asks once more, with the outcome
    const ask = await post(`/console/campaigns/${soon}/close`, { csrf, outcome: "Fini." }, cookie);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("This cannot be undone.");
    expect(await status()).toBe("open");
    expect(
      (await post(`/console/campaigns/${soon}/close`, { csrf, outcome: "Fini.", intent: "confirm" }, cookie)).status,
    ).toBe(303);
    expect(await status()).toBe("closed");
  }, 180_000);

  it("names in the outcome only the people who opted in from their own client, and counts everyone else", async () => {
    const { db } = ensemble.services;
    const campaign = await publishCampaign(
      db,
      await createCampaign(db, climat.id, {
        title: "Merci",
        steps: ["Venir"],
        startsAt: new Date(Date.now() - DAY),
        endsAt: new Date(Date.now() + DAY),
      }),
    );
    let n = 0;
    const say = (who: string, text: string, minutesAgo: number) =>
      storeInboundNote(db, {
        iri: `https://peer.example/notes/${++n}`,
        communityId: climat.id,
        campaignId: campaign.id,
        inReplyTo: null,
        authorIri: `https://peer.example/users/${who}`,
        contentHtml: `<p>${text}</p>`,
        language: "fr",
        published: new Date(Date.now() - minutesAgo * 60_000),
      });
    await say("ana", "Super ! #EnsembleMerci", 50);
    await say("bea", "Je viens. #ThankMe", 40);
    await say("bea", "Finalement non #EnsembleAnonyme", 30); // bea takes it back
    await say("carl", "Merci, mais sans mon nom", 20);
    await say("dan", "#EnsembleMerci", 10);
    await addBlock(db, climat.id, "actor", "https://peer.example/users/dan"); // a blocked account is never thanked publicly
    const page = await (await get(`/console/campaigns/${campaign.id}`, cookie)).text();
    expect(page).toContain("Asked to be thanked by name: @ana@peer.example. 3 others took part.");
    expect(page).not.toContain("@bea@peer.example");
    const outcome = /<textarea id="f-outcome" name="outcome"[^>]*>([^<]*)<\/textarea>/.exec(page)![1];
    expect(outcome).toBe("…\n\nThank you @ana@peer.example, and the 3 others who took part.");
    const done = await post(
      `/console/campaigns/${campaign.id}/close`,
      { csrf, outcome: outcome.replace("…", "Belle réussite."), intent: "confirm" },
      cookie,
    );
    expect(done.status).toBe(303);
    const publicPage = await (await fetch(`${ensemble.origin}/communities/climat/campaigns/${campaign.id}`)).text();
    expect(publicPage).toContain("Thank you @ana@peer.example, and the 3 others who took part.");
  });
});
