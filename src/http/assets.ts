import { Hono, type Context } from "hono";
import { findAsset } from "../assets";

/** `/assets/{name}`: the pages' stylesheets and scripts (see src/assets). */
export function assetRoutes(): Hono {
  const app = new Hono();
  // browsers ask for /favicon.ico on every page whatever the markup says: served, never a 404
  app.get("/favicon.ico", (c) => serve(c, "favicon.ico"));
  app.get("/assets/:name", (c) => serve(c, c.req.param("name")));
  function serve(c: Context, name: string) {
    const asset = findAsset(name);
    if (!asset) return c.notFound();
    const etag = `"${asset.hash}"`;
    // a versioned URL (?v=hash) never changes; a bare one is revalidated
    const cache = c.req.query("v") === asset.hash ? "public, max-age=31536000, immutable" : "public, max-age=300";
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, { ETag: etag, "Cache-Control": cache });
    return c.body(new Uint8Array(asset.body), 200, { "Content-Type": asset.type, ETag: etag, "Cache-Control": cache });
  }
  return app;
}
