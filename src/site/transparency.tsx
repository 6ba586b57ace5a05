import { Hono, type Context } from "hono";
import type { Services } from "../services";
import { TransparencyPage } from "./pages/transparency";
import { encodeBase64 } from "../transparency/bytes";
import { recordPage, verifierScript } from "../transparency/entries";
import { publicRecord, readRecord } from "../transparency/record";
import { problem } from "../http/problem";
import { readerLang } from "../http/reader-lang";

/**
 * The public record for people (`/transparency`, each entry in words with what the server's
 * check of it found) and the stand-alone verifier (`/transparency/verify.mjs`), then what an
 * auditor needs to check the public record (see `ensemble verify`): the latest signed
 * checkpoint, the key that signs checkpoints, the keys that sign documents, each document, and
 * inclusion and consistency proofs with hashes in standard base64.
 */
export function transparencyRoutes(services: Services): Hono {
  const app = new Hono();
  const record = () => publicRecord(services);

  app.get("/transparency", async (c) => {
    const before = c.req.query("before");
    const start = before === undefined ? undefined : toSize(before);
    if (before !== undefined && start === undefined) return badRange(c, "before must be an entry index.");
    const page = await recordPage(services, start);
    return c.html(
      <TransparencyPage page={page} lang={readerLang(c)} script={verifierScript} origin={services.config.origin} />,
    );
  });
  app.get("/transparency/verify.mjs", (c) =>
    c.body(verifierScript.source, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Content-Disposition": 'attachment; filename="verify.mjs"',
      "Cache-Control": "no-cache",
    }),
  );

  app.get("/transparency/checkpoint", async (c) => {
    const note = await (await record()).log.checkpoint();
    return c.text(note, 200, { "Cache-Control": "no-store" });
  });
  app.get("/transparency/key", async (c) => c.text(`${(await record()).log.verifierKey}\n`));
  app.get("/.well-known/jwks.json", async (c) => c.json((await record()).jwks));

  app.get("/transparency/records/:index", async (c) => {
    const index = toSize(c.req.param("index"));
    const found = index === undefined ? undefined : await readRecord(services, index);
    if (!found) return problem(c, 404, "Not found", "No record with this index.");
    return c.json(found);
  });

  app.get("/transparency/proofs/inclusion", async (c) => {
    const [index, size] = [toSize(c.req.query("index")), toSize(c.req.query("size"))];
    const leaves = await (await record()).storage.size();
    if (index === undefined || size === undefined || index >= size || size > leaves) {
      return badRange(c, `index and size must satisfy 0 ≤ index < size ≤ ${leaves}`);
    }
    const proof = await (await record()).log.inclusionProof(index, size);
    return c.json({ index, size, proof: proof.map(encodeBase64) });
  });

  app.get("/transparency/proofs/consistency", async (c) => {
    const [from, to] = [toSize(c.req.query("from")), toSize(c.req.query("to"))];
    const leaves = await (await record()).storage.size();
    if (from === undefined || to === undefined || from > to || to > leaves) {
      return badRange(c, `from and to must satisfy 0 ≤ from ≤ to ≤ ${leaves}`);
    }
    const proof = await (await record()).log.consistencyProof(from, to);
    return c.json({ from, to, proof: proof.map(encodeBase64) });
  });

  return app;
}

function toSize(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0|[1-9]\d{0,14})$/.test(text)) return undefined;
  return Number(text);
}

function badRange(c: Context, detail: string): Response {
  return problem(c, 400, "Bad request", detail);
}
