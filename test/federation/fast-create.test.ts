import { Create, LanguageString, Mention, type Note } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { readFastCreate } from "../../src/http/fast-create";

const AS = "https://www.w3.org/ns/activitystreams";
const actor = "https://social.example/users/alice";
const noFetch = async (url: string): Promise<never> => {
  throw new Error(`no fetch: ${url}`);
};

function create(note: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    "@context": [AS, { sensitive: "as:sensitive", toot: "http://joinmastodon.org/ns#", Hashtag: "as:Hashtag" }],
    id: `${actor}/statuses/1/activity`,
    type: "Create",
    actor,
    to: [`${AS}#Public`],
    object: { id: `${actor}/statuses/1`, type: "Note", attributedTo: actor, ...note },
    ...extra,
  };
}

/** What the Fedify path (federation/replies.ts and inbox.ts) reads of the same activity, after full JSON-LD processing. */
async function throughFedify(json: Record<string, unknown>) {
  const activity = await Create.fromJsonLd(json, { documentLoader: noFetch, contextLoader: undefined });
  const note = (await activity.getObject({ documentLoader: noFetch })) as Note;
  const addressed = note.toIds.length + note.ccIds.length > 0 ? note : activity;
  const mentions: string[] = [];
  try {
    for await (const tag of note.getTags({ documentLoader: noFetch, contextLoader: noFetch }))
      if (tag instanceof Mention && tag.href) mentions.push(tag.href.href);
  } catch {}
  return {
    noteIri: note.id!.href,
    inReplyTo: note.replyTargetId?.href ?? null,
    contentHtml: note.content?.toString() ?? "",
    language: note.contents.find((c): c is LanguageString => c instanceof LanguageString)?.locale.baseName ?? null,
    name: note.name?.toString() ?? null,
    to: addressed.toIds.map((u) => u.href),
    cc: addressed.ccIds.map((u) => u.href),
    mentions,
  };
}

const cases: Array<[string, Record<string, unknown>]> = [
  [
    "a Mastodon reply with content and a contentMap",
    create({
      inReplyTo: "https://ensemble.example/communities/climat/campaigns/1",
      content: "<p>Hello</p>",
      contentMap: { fr: "<p>Bonjour</p>", en: "<p>Hello</p>" },
      to: [`${AS}#Public`],
      cc: [`${actor}/followers`, "https://ensemble.example/communities/climat"],
      tag: [
        { type: "Hashtag", href: "https://social.example/tags/climat", name: "#climat" },
        { type: "Mention", href: "https://ensemble.example/communities/climat", name: "@climat" },
      ],
      summary: null,
      sensitive: false,
    }),
  ],
  ["only a contentMap, in another case", create({ contentMap: { "pt-BR": "<p>Olá</p>", DE: "<p>Hallo</p>" } })],
  ["a poll vote, addressed by the activity only", create({ name: "Signer", inReplyTo: "https://e.example/q/1" })],
  [
    "a mention after a tag given by reference",
    create({ content: "x", tag: ["https://social.example/tags/x", { type: "Mention", href: "https://e.example/c" }] }),
  ],
  [
    "addressing as single strings, an IRI to normalise",
    create({ content: "x", to: "https://E.example/communities/climat", cc: `${AS}#Public` }),
  ],
];

describe("reading a plain Create(Note) without JSON-LD processing", () => {
  it.each(cases)("reads %s as Fedify does", async (_, json) => {
    const fast = readFastCreate(json, new URL(actor));
    expect(fast).not.toBeNull();
    const { noteIri, inReplyTo, contentHtml, language, name, to, cc, mentions } = fast!;
    expect({ noteIri, inReplyTo, contentHtml, language, name, to, cc, mentions }).toEqual(await throughFedify(json));
  });

  it.each<[string, Record<string, unknown>]>([
    [
      "a context that sets a default language",
      { ...create({ content: "x" }), "@context": [AS, { "@language": "fr" }] },
    ],
    [
      "a context that redefines a term read",
      { ...create({ content: "x" }), "@context": [AS, { content: "as:summary" }] },
    ],
    ["another context", { ...create({ content: "x" }), "@context": "https://example.com/ctx" }],
    ["a compact-IRI key", create({ content: "x", "as:content": "y" })],
    ["a nested context", create({ content: "x", "@context": AS })],
    ["a Linked Data signature", create({ content: "x" }, { signature: { creator: `${actor}#main-key` } })],
    ["a proof", create({ content: "x" }, { proof: { verificationMethod: `${actor}#key` } })],
    ["a note by someone else", create({ content: "x", attributedTo: "https://social.example/users/bob" })],
    ["a note on another origin", create({ content: "x", id: "https://other.example/notes/1" })],
    ["an object to fetch", { ...create({}), object: `${actor}/statuses/1` }],
    ["a Question", create({ type: "Question", content: "x" })],
    ["an inReplyTo object", create({ content: "x", inReplyTo: { id: "https://e.example/q/1" } })],
    ["a nameMap", create({ nameMap: { en: "Signer" } })],
  ])("leaves %s to Fedify", (_, json) => {
    expect(readFastCreate(json, new URL(actor))).toBeNull();
  });
});
