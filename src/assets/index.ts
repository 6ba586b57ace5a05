import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { projectPath } from "../project-root";

/**
 * The stylesheet, scripts and icon of every page (public site and console; src/ui links them),
 * served from this origin as files: the pages' Content-Security-Policy allows no inline `<style>`, `style=` or `<script>`. Read once at start;
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
const dir = pathToFileURL(`${projectPath("src", "assets")}/`);

// The console's passkey script drives the @simplewebauthn/browser bundle, which the package ships
// beside its modules (it exports only the modules): served as /assets/webauthn.js.
const webauthnBundle = new URL(
  "../dist/bundle/index.umd.min.js",
  pathToFileURL(createRequire(import.meta.url).resolve("@simplewebauthn/browser")),
);

const files: Array<[string, URL]> = [
  ...readdirSync(dir)
    .filter((name) => (name.split(".").pop() ?? "") in TYPES)
    .map((name): [string, URL] => [name, new URL(name, dir)]),
  ["webauthn.js", webauthnBundle],
];
const assets = new Map<string, Asset>(
  files.map(([name, url]) => {
    const body = readFileSync(url);
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
