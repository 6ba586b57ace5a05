import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../helpers/databases";
import { startTestEnsemble, type TestEnsemble } from "../helpers/ensemble";
import { campaignsApi, communityWithToken, validCampaign } from "./client";

describe.each(databaseKinds)("Steward API campaigns (%s)", (kind) => {
  let ensemble: TestEnsemble;
  let api: ReturnType<typeof campaignsApi>;

  beforeAll(async () => {
    ensemble = await startTestEnsemble(kind);
    api = campaignsApi(ensemble, "climat", (await communityWithToken(ensemble, "climat")).token);
  });
  afterAll(async () => {
    await ensemble?.stop();
  });

  const problem = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    return res.json();
  };
  const fields = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field);

  it("names every invalid field of a new campaign (422)", async () => {
    const steps = ["1", "2", "3", "4", "5", "6", "7"];
    const body = await problem(await api("POST", "", validCampaign({ title: "  ", steps })), 422);
    expect(fields(body)).toEqual(expect.arrayContaining(["title", "steps"]));
    expect(body.errors.find((e: { field: string }) => e.field === "steps").message).toContain("1 to 6 steps");

    const backwards = validCampaign({ startsAt: "2026-05-02T00:00:00Z", endsAt: "2026-05-01T00:00:00Z" });
    expect(fields(await problem(await api("POST", "", backwards), 422))).toEqual(["endsAt"]);

    const tooLong = await problem(await api("POST", "", validCampaign({ steps: ["ok", "x".repeat(51)] })), 422);
    expect(fields(tooLong)).toEqual(["steps.1"]);
  });

  it("refuses a body that is not JSON (415) or does not parse (400)", async () => {
    await problem(await api("POST", "", "title=x", { "content-type": "application/x-www-form-urlencoded" }), 415);
    await problem(await api("POST", "", "{not json"), 400);
    expect(fields(await problem(await api("POST", "", "[1,2]"), 422))).toEqual(["body"]);
  });

  it("answers 404 for an unknown campaign or route", async () => {
    await problem(await api("GET", "/3f1d7a52-8a4e-4a51-9a57-1c2a0b9d9e11"), 404);
    await problem(await api("GET", "/not-a-uuid"), 404);
    await problem(await api("POST", "/3f1d7a52-8a4e-4a51-9a57-1c2a0b9d9e11/publish"), 404);
  });

  it("takes a campaign from draft to published, updated, closed and deleted", async () => {
    const created = await api("POST", "", validCampaign({ hashtags: ["#velo"] }));
    expect(created.status).toBe(201);
    const draft = await created.json();
    expect(created.headers.get("location")).toBe(`/api/v1/communities/climat/campaigns/${draft.id}`);
    expect(draft).toMatchObject({
      status: "draft",
      title: "Vélo au travail",
      hashtags: ["velo"],
      url: `${ensemble.origin}/communities/climat/campaigns/${draft.id}`,
      participants: 0,
    });
    expect(draft.descriptionHtml).toContain("<strong>à vélo</strong>");
    expect(draft.steps.map((s: { text: string; participants: number }) => [s.text, s.participants])).toEqual([
      ["Signer la pétition", 0],
      ["Venir à la réunion", 0],
    ]);
    const one = (path = "") => api("GET", `/${draft.id}${path}`);

    // stewards see drafts; the public does not
    expect((await (await api("GET")).json()).campaigns.map((c: { id: string }) => c.id)).toEqual([draft.id]);
    expect((await fetch(draft.url, { headers: { accept: "text/html" } })).status).toBe(404);
    await problem(await api("POST", `/${draft.id}/updates`, { content: "Too early" }), 409);
    await problem(await api("POST", `/${draft.id}/close`, { outcome: "x" }), 409);

    const edited = await api("PATCH", `/${draft.id}`, {
      title: "Vélo au travail !",
      steps: ["Signer", "Venir", "Inviter"],
    });
    expect(edited.status).toBe(200);
    expect((await edited.json()).steps).toHaveLength(3);
    expect(fields(await problem(await api("PATCH", `/${draft.id}`, {}), 422))).toEqual(["body"]);

    const published = await api("POST", `/${draft.id}/publish`);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ status: "open", publishedAt: expect.any(String), editedAt: null });
    await problem(await api("POST", `/${draft.id}/publish`), 409);
    // steps are poll options: fixed once published
    await problem(await api("PATCH", `/${draft.id}`, { steps: ["Autre"] }), 409);
    expect((await fetch(draft.url, { headers: { accept: "text/html" } })).status).toBe(200);

    const retitled = await api("PATCH", `/${draft.id}`, { title: "Vélo au travail, semaine 2", goal: 20 });
    expect(await retitled.json()).toMatchObject({
      title: "Vélo au travail, semaine 2",
      goal: 20,
      editedAt: expect.any(String),
    });

    const posted = await api("POST", `/${draft.id}/updates`, { content: "Déjà **12** inscrits !" });
    expect(posted.status).toBe(201);
    const update = await posted.json();
    expect(update).toMatchObject({
      content: "Déjà **12** inscrits !",
      contentHtml: expect.stringContaining("<strong>12</strong>"),
    });
    expect(fields(await problem(await api("POST", `/${draft.id}/updates`, { content: " " }), 422))).toEqual([
      "content",
    ]);
    expect((await (await one()).json()).updates.map((u: { id: string }) => u.id)).toEqual([update.id]);

    expect(fields(await problem(await api("POST", `/${draft.id}/close`, {}), 422))).toEqual(["outcome"]);
    const closed = await api("POST", `/${draft.id}/close`, { outcome: "40 personnes sont venues à vélo." });
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({
      status: "closed",
      outcome: "40 personnes sont venues à vélo.",
      closedAt: expect.any(String),
    });
    await problem(await api("PATCH", `/${draft.id}`, { title: "Trop tard" }), 409);
    await problem(await api("POST", `/${draft.id}/close`, { outcome: "again" }), 409);

    const deleted = await api("DELETE", `/${draft.id}`);
    expect(deleted.status).toBe(204);
    await problem(await one(), 410);
    await problem(await api("DELETE", `/${draft.id}`), 410);
    expect((await (await api("GET")).json()).campaigns).toEqual([]);
    expect((await fetch(draft.url, { headers: { accept: "text/html" } })).status).toBe(410);
  });

  it("edits only the steps of a draft", async () => {
    const draft = await (await api("POST", "", validCampaign({ title: "Étapes" }))).json();
    const res = await api("PATCH", `/${draft.id}`, { steps: ["Une", "Deux", "Trois"] });
    expect(res.status).toBe(200);
    expect((await res.json()).steps.map((s: { text: string }) => s.text)).toEqual(["Une", "Deux", "Trois"]);
  });

  it("deletes a draft that was never published", async () => {
    const draft = await (await api("POST", "", validCampaign({ title: "Brouillon" }))).json();
    expect((await api("DELETE", `/${draft.id}`)).status).toBe(204);
    await problem(await api("GET", `/${draft.id}`), 410);
  });

  it("keeps campaigns of one community out of another's routes", async () => {
    const other = campaignsApi(ensemble, "velo", (await communityWithToken(ensemble, "velo")).token);
    const mine = await (await api("POST", "", validCampaign({ title: "À moi" }))).json();
    await problem(await other("GET", `/${mine.id}`), 404);
    await problem(await other("DELETE", `/${mine.id}`), 404);
    expect((await api("GET", `/${mine.id}`)).status).toBe(200);
  });
});
