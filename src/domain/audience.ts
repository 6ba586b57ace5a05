import { inArray, type Column } from "drizzle-orm";
import type { noteAudiences } from "../../drizzle/schema";

/**
 * Who a note was addressed to, as Mastodon's visibilities read `to`/`cc`:
 * - public: the Public collection in `to`;
 * - unlisted: the Public collection only in `cc` (public, but kept out of timelines);
 * - followers: no Public collection, the author's followers addressed;
 * - direct: only named actors (a community mentioned in a direct message, for instance).
 */
export type Audience = (typeof noteAudiences)[number];

/** Only what its author published to everyone may appear on public pages, collections and reports. */
export const PUBLIC_AUDIENCES: readonly Audience[] = ["public", "unlisted"];

const PUBLIC_COLLECTION = ["https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"];

export interface Addressing {
  to: readonly string[];
  cc: readonly string[];
  /** The author's followers collection, when its actor document names one. */
  followers: string | null;
}

export function audienceOf({ to, cc, followers }: Addressing): Audience {
  if (to.some((a) => PUBLIC_COLLECTION.includes(a))) return "public";
  if (cc.some((a) => PUBLIC_COLLECTION.includes(a))) return "unlisted";
  if (followers && [...to, ...cc].includes(followers)) return "followers";
  return "direct";
}

/** A public audience: the note may be shown to anyone and counted in public reports. */
export const isPublicAudience = (audience: Audience) => PUBLIC_AUDIENCES.includes(audience);

/** The same rule as a query condition on an `audience` column. */
export const publicAudience = (column: Column) => inArray(column, [...PUBLIC_AUDIENCES]);
