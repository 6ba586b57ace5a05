import { readFileSync } from "node:fs";
import { Hono } from "hono";

// The public pages' stylesheet, script and icon: static files read once, same origin, so a strict
// Content-Security-Policy (style-src 'self'; script-src 'self') allows them. Browsers ask for
// /favicon.ico on every page whatever the markup says: it is served, not a 404 each time.
const ASSETS = new URL("../pages/assets/", import.meta.url);
const files = {
  "/assets/site.css": { type: "text/css; charset=utf-8", file: "site.css" },
  "/assets/site.js": { type: "text/javascript; charset=utf-8", file: "site.js" },
  "/favicon.ico": { type: "image/x-icon", file: "favicon.ico" },
} as const;

export function siteAssets(): Hono {
  const app = new Hono();
  for (const [path, { type, file }] of Object.entries(files)) {
    const body = readFileSync(new URL(file, ASSETS));
    // an hour: a changed file reaches readers soon enough, and pages stay fast meanwhile
    app.get(path, (c) => c.body(body, 200, { "Content-Type": type, "Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff" }));
  }
  return app;
}
