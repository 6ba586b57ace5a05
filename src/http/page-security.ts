import type { Context, MiddlewareHandler } from "hono";
import { isInbox, MAX_BODY_BYTES as MAX_ACTIVITY_BYTES } from "./inbox-guard";
import { problem } from "./problem";

/**
 * What a page may load and do: scripts and stylesheets only from this origin (no inline code, so
 * remote text that slipped past the sanitizer still cannot run), images from here or `data:`,
 * forms posted here (or to an https page, for a remote follow), never framed, no `<base>`.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self' https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * Headers on every answer: the CSP above (inert on JSON, binding on HTML), no MIME sniffing, the
 * referrer kept to this origin, and HSTS when the public origin is https (a year, subdomains
 * included: a steward's session cookie must never travel in clear).
 */
export function securityHeaders(origin: string): MiddlewareHandler {
  const wanted: Array<[string, string]> = [
    ["Content-Security-Policy", CONTENT_SECURITY_POLICY],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "same-origin"],
  ];
  if (origin.startsWith("https:")) wanted.push(["Strict-Transport-Security", "max-age=31536000; includeSubDomains"]);
  const apply = (headers: Headers) => {
    for (const [name, value] of wanted) if (!headers.has(name)) headers.set(name, value);
  };
  return async (c, next) => {
    await next();
    try {
      apply(c.res.headers);
    } catch {
      // a response whose headers are immutable (passed through as fetched): copied once
      c.res = new Response(c.res.body, c.res);
      apply(c.res.headers);
    }
  };
}

/** Largest body of a form or a JSON request (a 20,000-character description, percent-encoded, fits). */
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * Every body but an activity's (the inbox guard allows 1 MiB) is cut at {@link MAX_REQUEST_BYTES}
 * with a 413. It is counted as it streams in; one announced as more than twice the limit is
 * refused unread. A body a little over the limit is read to its end first, so that the client,
 * still sending, gets the 413 rather than a closed connection.
 */
export const requestBodyLimit: MiddlewareHandler = async (c, next) => {
  const body = c.req.raw.body;
  if (!body || isInbox(c.req.path)) return next();
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > 2 * MAX_REQUEST_BYTES) return tooLarge(c);
  const kept: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > 2 * MAX_REQUEST_BYTES) return tooLarge(c);
    if (size <= MAX_REQUEST_BYTES) kept.push(chunk);
  }
  if (size > MAX_REQUEST_BYTES) return tooLarge(c);
  c.req.raw = new Request(c.req.raw, { body: Buffer.concat(kept), duplex: "half" } as RequestInit);
  return next();
};

const tooLarge = (c: Context) =>
  problem(
    c,
    413,
    "Payload too large",
    `A request body may be at most ${MAX_REQUEST_BYTES} bytes (an activity to an inbox: ${MAX_ACTIVITY_BYTES}).`,
  );
