import type { RecordedGovernance } from "./governance-record";
import { recordUrl } from "./urls";

/**
 * The public shape of a community's governance, for the page's JSON twin and the API, derived
 * from the record's signed entries only. Spelled out so that nothing is published by accident;
 * every role, rules version and act links to the leaf it comes from.
 */
export function governanceJson(
  origin: string,
  communityUrl: string,
  { roles, signers, rules, acts }: RecordedGovernance,
) {
  const record = (index: number) => recordUrl(origin, index);
  return {
    type: "community-governance",
    community: communityUrl,
    roles: roles.map((r) => ({
      actor: r.actor,
      handle: r.handle,
      name: r.name,
      role: r.role,
      since: r.since,
      appointedBy: r.appointedBy,
      record: record(r.record),
    })),
    /** Who signed acts without an appointment in the record: steward tokens' labels. */
    signers: signers.map((s) => ({ name: s.name, acts: s.acts, lastActAt: s.last })),
    rules: rules.map((r) => ({
      version: r.version,
      text: r.text,
      setBy: r.setBy,
      since: r.since,
      record: record(r.record),
    })),
    acts: acts.map((a) => ({
      type: a.document.type,
      at: a.document.at,
      recordIndex: a.index,
      record: record(a.index),
      /** The document exactly as signed in the record. */
      document: a.document,
    })),
  };
}
