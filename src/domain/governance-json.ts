import type { Governance } from "./governance";

/**
 * The public shape of a community's governance, for the page's JSON twin and the API. Spelled
 * out so that a new column is never published by accident; acts link to their record leaf.
 */
export function governanceJson(origin: string, communityUrl: string, { roles, rules, acts }: Governance) {
  return {
    type: "community-governance",
    community: communityUrl,
    roles: roles.map((r) => ({ id: r.id, actor: r.actor, role: r.role, since: r.since.toISOString(), appointedBy: r.appointedBy })),
    rules: rules.map((r) => ({ version: r.version, text: r.text, createdAt: r.createdAt.toISOString() })),
    acts: acts.map((a) => ({
      type: a.type,
      at: a.at.toISOString(),
      payload: a.payload,
      recordIndex: a.recordIndex,
      record: `${origin}/transparency/records/${a.recordIndex}`,
    })),
  };
}
