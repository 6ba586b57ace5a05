import type { Object as APObject } from "@fedify/vocab";

type Json = Record<string, unknown>;

/**
 * Adjusts the JSON an object is sent and served as, for peers that read JSON rather than
 * JSON-LD. The object's prototype becomes a subclass of its own class, so Fedify's `clone`
 * (which builds `new this.constructor`) keeps the adjustment: the Object Integrity Proof is
 * computed over the adjusted JSON, and the RSA Linked Data signature is unchanged because the
 * adjustments keep the same RDF (an array of one item is that item).
 */
export function withWireJson<T extends APObject>(object: T, adjust: (json: Json) => Json): T {
  const Base = object.constructor as new (...args: never[]) => APObject;
  class Adjusted extends Base {
    override async toJsonLd(options?: Parameters<APObject["toJsonLd"]>[0]): Promise<unknown> {
      const json = await super.toJsonLd(options);
      // expanded JSON-LD is for Fedify itself; every other form goes on the wire
      if (options?.format === "expand" || json == null || typeof json !== "object" || Array.isArray(json)) return json;
      return adjust({ ...(json as Json) });
    }
  }
  Object.setPrototypeOf(object, Adjusted.prototype);
  return object;
}

const POLL_OPTIONS = ["oneOf", "anyOf"] as const;

/**
 * Mastodon's poll parser (`app/lib/activitypub/parser/poll_parser.rb`) and Misskey read a
 * poll's options as a JSON array; JSON-LD compaction writes a single option as a bare object.
 * Applies to a Question and to an activity carrying one.
 */
export function pollOptionsAsArrays(json: Json): Json {
  for (const key of POLL_OPTIONS) {
    if (json[key] != null && !Array.isArray(json[key])) json[key] = [json[key]];
  }
  const object = json.object;
  if (object && typeof object === "object" && !Array.isArray(object))
    json.object = pollOptionsAsArrays({ ...(object as Json) });
  return json;
}

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const RULES = ["canQuote", "canReply", "canLike", "canAnnounce"] as const;

/**
 * JSON-LD compaction writes the public collection as `as:Public` inside `interactionPolicy`;
 * Mastodon compares a quote policy's approvals with the full IRI, so it is written out.
 * Applies to an object and to an activity carrying one.
 */
export function publicApprovalAsIri(json: Json): Json {
  const policy = json.interactionPolicy as Record<string, Json | undefined> | undefined;
  if (policy && typeof policy === "object") {
    const fixed: Record<string, unknown> = { ...policy };
    for (const rule of RULES) {
      const r = policy[rule];
      if (!r || typeof r !== "object") continue;
      const out: Json = { ...r };
      for (const key of ["automaticApproval", "manualApproval"]) {
        const v = r[key];
        const full = (x: unknown) => (x === "as:Public" || x === "Public" ? PUBLIC : x);
        if (v != null) out[key] = Array.isArray(v) ? v.map(full) : full(v);
      }
      fixed[rule] = out;
    }
    json.interactionPolicy = fixed;
  }
  const object = json.object;
  if (object && typeof object === "object" && !Array.isArray(object))
    json.object = publicApprovalAsIri({ ...(object as Json) });
  return json;
}

/** What Mastodon, Misskey and the others read as plain JSON from a post: options as an array, approvals as IRIs. */
export const forPlainJsonReaders = (json: Json): Json => publicApprovalAsIri(pollOptionsAsArrays(json));
