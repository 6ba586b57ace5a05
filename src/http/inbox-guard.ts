import type { MiddlewareHandler } from "hono";
import { problem } from "./problem";

export const MAX_BODY_BYTES = 1024 * 1024;

const activityTypes = ["application/activity+json", "application/ld+json", "application/json"];

export function isInbox(path: string): boolean {
  return path === "/inbox" || /^\/communities\/[^/]+\/inbox$/.test(path);
}

/**
 * Rejects what an inbox cannot keep before any signature work: wrong media type (415),
 * bodies over 1 MiB (413, counted as they stream in, so a lying Content-Length does not
 * help), and JSON that does not parse (400).
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
  try {
    const json = JSON.parse(body.toString("utf8"));
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not an object");
  } catch {
    return problem(c, 400, "Malformed activity", "The body is not a JSON object.");
  }
  c.req.raw = new Request(c.req.raw, { body, duplex: "half" } as RequestInit);
  return next();
};

const tooLarge = (c: Parameters<MiddlewareHandler>[0]) =>
  problem(c, 413, "Payload too large", `An activity may be at most ${MAX_BODY_BYTES} bytes.`);
