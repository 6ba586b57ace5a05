import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** RFC 9457 problem details: every API error says what went wrong and, when it can, where. */
export function problem(
  c: Context,
  status: ContentfulStatusCode,
  title: string,
  detail?: string,
  extra: Record<string, unknown> = {},
): Response {
  return c.body(JSON.stringify({ type: "about:blank", title, status, detail, ...extra }), status, {
    "Content-Type": "application/problem+json",
  });
}
