import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
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

/** Every body but an activity's (the inbox guard allows 1 MiB) is cut at {@link MAX_REQUEST_BYTES}: 413. */
export const requestBodyLimit: MiddlewareHandler = async (c, next) => {
  if (isInbox(c.req.path)) return next();
  return limit(c, next);
};

const limit = bodyLimit({
  maxSize: MAX_REQUEST_BYTES,
  onError: (c) => problem(c, 413, "Payload too large", `A request body may be at most ${MAX_REQUEST_BYTES} bytes (an activity to an inbox: ${MAX_ACTIVITY_BYTES}).`),
});
