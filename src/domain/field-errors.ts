import { ZodError } from "zod";

// Shared by the Steward API (problem+json `errors[].field`) and the console (the error shown next to its field).

/** Domain functions that validate a single value report it at the root; this names the field it came from. */
export function underField(field: string): (e: unknown) => never {
  return (e) => {
    // in place: a ZodError built with `new` is not an Error, so Hono would not hand it to onError
    if (e instanceof ZodError) for (const issue of e.issues) issue.path.unshift(field);
    throw e;
  };
}
