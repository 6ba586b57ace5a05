import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

/**
 * The console's own files, served from this origin so that a strict Content-Security-Policy
 * (script-src 'self'; style-src 'self') holds: the stylesheet, the console script, and the
 * @simplewebauthn/browser bundle it drives for passkeys. Read once at start-up; immutable per process.
 */
const here = new URL("./static/", import.meta.url);
// the package exports only its modules; the browser bundle sits beside them in the package
const webauthnBundle = join(
  dirname(createRequire(import.meta.url).resolve("@simplewebauthn/browser")),
  "../dist/bundle/index.umd.min.js",
);

const files: Record<string, { body: string; type: string }> = {
  "console.css": { body: readFileSync(new URL("console.css", here), "utf8"), type: "text/css; charset=utf-8" },
  "console.js": {
    body: readFileSync(new URL("../assets/console.js", import.meta.url), "utf8"),
    type: "text/javascript; charset=utf-8",
  },
  "webauthn.js": { body: readFileSync(webauthnBundle, "utf8"), type: "text/javascript; charset=utf-8" },
};

/** Scripts of every console page, in load order (passkeys, copy buttons, the time zone). */
export const CONSOLE_SCRIPTS = ["/console/static/webauthn.js", "/console/static/console.js"];

export function consoleStatic(): Hono {
  const app = new Hono();
  app.get("/static/:name", (c) => {
    const file = files[c.req.param("name")];
    if (!file) return c.notFound();
    c.header("Cache-Control", "public, max-age=3600");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body(file.body, 200, { "Content-Type": file.type });
  });
  return app;
}
