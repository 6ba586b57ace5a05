import type { Context, Federation } from "@fedify/fedify";
import type PgBoss from "pg-boss";
import type { Db } from "../src/db/database";
import { audienceOf } from "../src/domain/audience";
import { authorProfile } from "../src/domain/authors";
import { blockKey, blockedAmong } from "../src/domain/blocks";
import { type IncomingNote, storeInboundNotes } from "../src/domain/notes";
import { findCommunity } from "../src/domain/communities";
import type { FastLane, FastNote } from "../src/http/inbox-fast-lane";
import { originContext, type Services } from "../src/services";
import { countVote, learnFrom, serverOf } from "./participation";
import { groupCommit, type BatchHandler } from "./queue";
import { localTarget, type LocalTarget } from "./targets";

/**
 * The worker side of the inbox's fast lane (src/http/inbox-fast-lane.ts): the notes were read
 * and their signatures verified before `202`, so a batch is handled from the queued values
 * without parsing anything again, as federation/inbox.ts's `onCreate` handles one: a vote is
 * counted as `onVote` counts it, replies and mentions are stored, scored and rolled up together.
 */

/** A fast-lane job in the inbox's batch queue (kept under its own key, so that a wrong job is told apart). */
interface FastLaneJob {
  fastLane: FastNote;
}

export const fastLaneJob = (note: FastNote): FastLaneJob => ({ fastLane: note });

const isFastLaneJob = (data: unknown): data is FastLaneJob =>
  typeof data === "object" && data !== null && "fastLane" in data;

/** How long a community's existence is remembered by a web process (a deleted one's notes are then dropped by the worker). */
const COMMUNITY_KNOWN_MS = 60_000;

/** The accept side: notes go into the inbox's batch queue by group commit; community handles are remembered a minute. */
export function fastLaneQueue(boss: PgBoss, queueName: string, db: Db): FastLane {
  const send = groupCommit(boss, queueName);
  const known = new Map<string, number>();
  return {
    enqueue: (note) => send(fastLaneJob(note)),
    async communityExists(handle) {
      if ((known.get(handle) ?? 0) > Date.now()) return true;
      if (!(await findCommunity(db, handle))) return false;
      if (known.size > 10_000) known.clear();
      known.set(handle, Date.now() + COMMUNITY_KNOWN_MS);
      return true;
    },
  };
}

export function fastLaneHandler(federation: Federation<Services>, services: Services): BatchHandler {
  return {
    handle: (jobs) =>
      handleFastNotes(
        originContext(federation, services),
        jobs.filter(isFastLaneJob).map((j) => j.fastLane),
      ),
  };
}

/** A note concerns a community when it replies to one of its campaigns or updates, or mentions it (`noteTarget`). */
async function targetOf(note: FastNote, lookup: (iri: string) => Promise<LocalTarget | undefined>) {
  const replied = note.inReplyTo ? await lookup(note.inReplyTo) : undefined;
  if (replied) return replied;
  for (const mention of note.mentions) {
    const mentioned = await lookup(mention);
    if (mentioned?.kind === "community") return mentioned;
  }
  return undefined;
}

const isVote = (note: FastNote, target: LocalTarget) => target.kind === "campaign" && !!note.name && !note.contentHtml;

async function handleFastNotes(ctx: Context<Services>, notes: FastNote[]): Promise<void> {
  // a batch mostly replies to a few campaigns: each target is looked up once
  const targets = new Map<string, Promise<LocalTarget | undefined>>();
  const lookup = (iri: string) => {
    if (!targets.has(iri)) targets.set(iri, localTarget(ctx, new URL(iri)));
    return targets.get(iri)!;
  };
  const handled = await Promise.all(notes.map(async (note) => ({ note, target: await targetOf(note, lookup) })));
  // votes one by one, in order (a second vote by the same voter must see the first); each
  // server's software is learnt once per batch
  const learnt = new Set<string>();
  for (const { note, target } of handled) {
    if (!target || !isVote(note, target) || !note.author.inbox) continue;
    // PGlite runs each statement synchronously behind a promise: 64 votes of four awaited
    // statements each never left the microtask queue, and the inbox stalled 0.3–2 s (p99 of its
    // 202 1.5 s in `bench:inbox --kind vote`); a turn of the event loop per vote lets it answer
    await new Promise((resolve) => setImmediate(resolve));
    const voter = { actorIri: note.actorIri, inboxUrl: note.author.inbox, sharedInboxUrl: note.author.sharedInbox };
    const server = serverOf(voter);
    if (!learnt.has(server)) await learnFrom(ctx, voter);
    learnt.add(server);
    await countVote(ctx, target.campaign!, note.name!, voter, note.noteIri);
  }
  const replies = handled.filter(
    (h): h is { note: FastNote; target: LocalTarget } => !!h.target && !isVote(h.note, h.target),
  );
  const refused = await blockedAmong(
    ctx.data.db,
    replies.map(({ note, target }) => ({ communityId: target.community.id, actorIri: note.actorIri })),
  );
  const kept = replies.filter(({ note, target }) => !refused.has(blockKey(target.community.id, note.actorIri)));
  await storeInboundNotes(
    ctx.data.db,
    kept.map(({ note, target }) => ({ note: incoming(note, target), receivedAt: new Date(note.receivedAt) })),
    ctx.data.scoreNote,
  );
}

/** The note as `onReply` stores it. */
function incoming(note: FastNote, target: LocalTarget): IncomingNote {
  const { author } = note;
  return {
    iri: note.noteIri,
    communityId: target.community.id,
    campaignId: target.campaign?.id ?? null,
    inReplyTo: note.inReplyTo,
    authorIri: note.actorIri,
    ...authorProfile({ preferredUsername: author.preferredUsername, name: author.name, url: author.url }),
    contentHtml: note.contentHtml,
    language: note.language,
    published: note.published ? new Date(note.published) : new Date(note.receivedAt),
    audience: audienceOf({ to: note.to, cc: note.cc, followers: author.followers }),
  };
}
