import type { MiddlewareHandler } from "hono";
import { problem } from "./problem";

export const MAX_BODY_BYTES = 1024 * 1024;
/** Deepest nesting of arrays and objects an activity may have; Mastodon's deepest is under 10. */
export const MAX_JSON_DEPTH = 64;

const activityTypes = ["application/activity+json", "application/ld+json", "application/json"];

export function isInbox(path: string): boolean {
  return path === "/inbox" || /^\/communities\/[^/]+\/inbox$/.test(path);
}

/**
 * How deeply `text` nests arrays and objects, scanned before parsing so that no parser,
 * JSON-LD processor or recursive walk ever sees a body built to exhaust its stack.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return deepest;
}

// PostgreSQL text and jsonb cannot hold NUL or unpaired UTF-16 surrogates; an activity carrying
// them could be neither queued nor stored, so it is refused as malformed rather than failing later.
const unstorable = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether any key or string in `value` (already limited in depth) holds unstorable characters. */
export function hasUnstorableText(value: unknown): boolean {
  if (typeof value === "string") return unstorable.test(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([k, v]) => unstorable.test(k) || hasUnstorableText(v));
  }
  return false;
}

const parsed = new WeakMap<Request, { activity: Record<string, unknown>; text: string; body: Buffer }>();

/** The activity the guard parsed from this request, for the checks that follow it. */
export const parsedActivity = (request: Request) => parsed.get(request);

/**
 * Rejects what an inbox cannot keep before any signature work: wrong media type (415),
 * bodies over 1 MiB (413, counted as they stream in, so a lying Content-Length does not
 * help), JSON nested deeper than MAX_JSON_DEPTH (400), JSON that does not parse (400) and
 * strings PostgreSQL cannot store (400).
 */
export const inboxGuard: MiddlewareHandler = async (c, next) => {
  if (c.req.method !== "POST" || !isInbox(c.req.path)) return next();
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!activityTypes.includes(type)) {
    return problem(c, 415, "Unsupported media type", "An inbox accepts application/activity+json.");
  }
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return tooLarge(c);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = c.req.raw.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return tooLarge(c);
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks);
  const text = body.toString("utf8");
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    return problem(c, 400, "Malformed activity", `The JSON nests deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  let activity: Record<string, unknown>;
  try {
    activity = JSON.parse(text);
    if (typeof activity !== "object" || activity === null || Array.isArray(activity)) throw new Error("not an object");
  } catch {
    return problem(c, 400, "Malformed activity", "The body is not a JSON object.");
  }
  if (hasUnstorableText(activity)) {
    return problem(c, 400, "Malformed activity", "The JSON holds NUL characters or unpaired UTF-16 surrogates.");
  }
  c.req.raw = new Request(c.req.raw, { body, duplex: "half" } as RequestInit);
  parsed.set(c.req.raw, { activity, text, body });
  return next();
};

const tooLarge = (c: Parameters<MiddlewareHandler>[0]) =>
  problem(c, 413, "Payload too large", `An activity may be at most ${MAX_BODY_BYTES} bytes.`);
