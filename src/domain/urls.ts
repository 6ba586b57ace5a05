// Absolute addresses of what Ensemble publishes. The routes and Fedify dispatchers define these
// paths (src/site/communities.tsx, src/site/transparency.tsx, federation/actors.ts, federation/objects.ts);
// everything that writes one into a token, a record document or a page builds it here.

/** A community's page, which is also its Group actor's id (and a steward token's audience). */
export const communityUrl = (origin: string, handle: string): string => `${origin}/communities/${handle}`;

/** A campaign's page, which is also its Question's id. */
export const campaignUrl = (origin: string, handle: string, campaignId: string): string =>
  `${communityUrl(origin, handle)}/campaigns/${campaignId}`;

/** One document of the public record (RFC 9162 log entry `index`). */
export const recordUrl = (origin: string, index: number): string => `${origin}/transparency/records/${index}`;
