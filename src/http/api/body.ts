import type { Context } from "hono";
import type { z } from "zod";
import { ApiError } from "./errors";

const jsonType = /^application\/([\w.-]+\+)?json$/i;

/**
 * The request body as JSON, validated: 415 for another media type, 400 when it does not parse;
 * a ZodError (422 with the fields) when it does not fit the schema.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim();
  if (!jsonType.test(type)) throw new ApiError(415, "Unsupported media type", "Send the body as application/json.");
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "Malformed JSON", "The body is not valid JSON.");
  }
  return schema.parse(body);
}
