// The activities bench:inbox sends, as Mastodon sends them: a reply mentioning the community,
// a poll vote on its open campaign, or a Follow. The same for Ensemble and for bare Fedify, whose
// actors have the same paths (bare-fedify.ts).
import type { Peer } from "../../test/helpers/mastodon-peer";
import type { ActivityKind } from "./ipc";

export interface Addressing {
  /** The server under test. */
  origin: string;
  /** Per community handle, its open campaign's id (none on bare Fedify). */
  campaigns: Record<string, string>;
}

/** Activity `i` of `kind` from account `u` to `community`; `tag` keeps warm-up and timed ids apart. */
export function benchActivity(
  kind: ActivityKind,
  peer: Peer,
  to: Addressing,
  i: number,
  u: string,
  community: string,
  tag: string,
) {
  const target = `${to.origin}/communities/${community}`;
  if (kind === "follow") {
    return {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${peer.origin}/users/${u}/follows/${tag}-${i}`,
      type: "Follow",
      actor: peer.actorUrl(u),
      object: target,
    };
  }
  const note = `${peer.origin}/users/${u}/statuses/${tag}-${i}`;
  if (kind === "vote") {
    // a Mastodon poll vote: the option as `name`, in reply to the campaign's Question
    const vote = {
      id: note,
      type: "Note",
      name: "Signer",
      attributedTo: peer.actorUrl(u),
      inReplyTo: `${target}/campaigns/${to.campaigns[community]}`,
      to: target,
    };
    return {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${note}/activity`,
      type: "Create",
      actor: peer.actorUrl(u),
      to: target,
      object: vote,
    };
  }
  return {
    "@context": ["https://www.w3.org/ns/activitystreams", { sensitive: "as:sensitive", Hashtag: "as:Hashtag" }],
    id: `${note}/activity`,
    type: "Create",
    actor: peer.actorUrl(u),
    published: new Date().toISOString(),
    to: [target],
    cc: ["https://www.w3.org/ns/activitystreams#Public", `${peer.actorUrl(u)}/followers`],
    object: {
      id: note,
      type: "Note",
      summary: null,
      inReplyTo: `${target}/posts/campaign-1`,
      published: new Date().toISOString(),
      url: note,
      attributedTo: peer.actorUrl(u),
      to: [target],
      cc: ["https://www.w3.org/ns/activitystreams#Public"],
      sensitive: false,
      content: `<p><span class="h-card"><a href="${target}" class="u-url mention">@<span>${community}</span></a></span> I am worried about the river level, but glad we act together (${i}).</p>`,
      contentMap: { en: `<p>I am worried about the river level, but glad we act together (${i}).</p>` },
      tag: [{ type: "Mention", href: target, name: `@${community}@${new URL(to.origin).host}` }],
    },
  };
}
