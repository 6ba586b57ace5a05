import { Create, Note, PUBLIC_COLLECTION, Question } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { forPlainJsonReaders, withWireJson } from "../../federation/wire-json";
import { mastodonPoll } from "../helpers/peer-rules";

const question = () =>
  new Question({
    id: new URL("https://ensemble.example/communities/c/campaigns/1"),
    inclusiveOptions: [new Note({ name: "The only step" })],
  });

describe("poll options as Mastodon's parser reads them", () => {
  it("JSON-LD compaction alone writes one option as an object, which Mastodon drops", async () => {
    // why the adjustment exists: without it a one-step campaign is no poll for Mastodon or Misskey
    const compact = await question().toJsonLd({ format: "compact" });
    expect(mastodonPoll(compact)).toBeNull();
  });

  it("keeps one option an array, alone, inside an activity, and through clone (as Fedify signs)", async () => {
    const q = withWireJson(question(), forPlainJsonReaders);
    expect(mastodonPoll(await q.toJsonLd({ format: "compact" }))).toEqual({
      options: ["The only step"],
      multiple: true,
    });
    expect(mastodonPoll(await q.toJsonLd())).toEqual({ options: ["The only step"], multiple: true });
    const create = withWireJson(
      new Create({ id: new URL(`${q.id!.href}#create`), to: PUBLIC_COLLECTION, object: q }),
      forPlainJsonReaders,
    );
    const sent = (await create.clone({}).toJsonLd({ format: "compact" })) as { object: unknown };
    expect(mastodonPoll(sent.object)?.options).toEqual(["The only step"]);
  });
});
