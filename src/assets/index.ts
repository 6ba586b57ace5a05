import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";

/**
 * Stylesheets (and any script) of the pages, served from this origin as files: the pages'
 * Content-Security-Policy allows no inline `<style>`, `style=` or `<script>`. Read once at start;
 * each URL carries a hash of its content, so browsers may keep a file for a year and still see a
 * new version at once.
 */
export interface Asset {
  body: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  ico: "image/x-icon",
};
const dir = new URL("./", import.meta.url);

const assets = new Map<string, Asset>(
  readdirSync(dir)
    .filter((name) => (name.split(".").pop() ?? "") in TYPES)
    .map((name) => {
      const body = readFileSync(new URL(name, dir));
      const hash = createHash("sha256").update(body).digest("base64url").slice(0, 12);
      return [name, { body, type: TYPES[name.split(".").pop()!], hash }];
    }),
);

export function findAsset(name: string): Asset | undefined {
  return assets.get(name);
}

/** The URL pages link to; an unknown name is a programming error, caught by any page render. */
export function assetHref(name: string): string {
  const asset = assets.get(name);
  if (!asset) throw new Error(`No asset named ${name} in src/assets`);
  return `/assets/${name}?v=${asset.hash}`;
}
