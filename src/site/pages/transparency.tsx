import { t, type Lang } from "../../i18n";
import type { RecordPage } from "../../transparency/entries";
import { Layout } from "./layout";
import { ActSentence, rich, webHref } from "./record-entry";
import { When } from "./dates";

const STATUS = { verified: "record.status.ok", failed: "record.status.bad", pending: "record.status.pending" } as const;

/** The community an entry belongs to, named by its handle and linked, when it is a web address. */
function CommunityOf(props: { url: unknown; lang: Lang }) {
  const href = webHref(props.url);
  if (!href) return null;
  const handle = decodeURIComponent(new URL(href).pathname.split("/").pop() ?? "");
  return <>{rich(props.lang, "record.community", { community: <a href={href}>{handle}</a> })}</>;
}

/**
 * The public record for people: the latest signed checkpoint, how to check everything
 * independently, and each entry in plain words with what this server's check of it found.
 */
export function TransparencyPage(props: { page: RecordPage; lang: Lang; script: { sha256: string }; origin: string }) {
  const { page, lang, script } = props;
  const { checkpoint } = page;
  const first = page.entries[0]?.entry.index;
  const last = page.entries.at(-1)?.entry.index;
  return (
    <Layout title={t(lang, "record.title")} lang={lang}>
      <h1>{t(lang, "record.title")}</h1>
      <p>{t(lang, "record.intro")}</p>
      <section class="card" id="checkpoint">
        <p>
          {rich(lang, "record.checkpoint", { size: String(checkpoint.size), root: <code>{checkpoint.rootHash}</code> })}{" "}
          {checkpoint.valid ? (
            rich(lang, "record.checkpoint.ok", { key: <code>{page.verifierKey}</code> })
          ) : (
            <strong>{t(lang, "record.checkpoint.bad")}</strong>
          )}
        </p>
        <p>
          {rich(lang, "record.links", {
            checkpoint: <a href="/transparency/checkpoint">checkpoint</a>,
            key: <a href="/transparency/key">key</a>,
            jwks: <a href="/.well-known/jwks.json">jwks.json</a>,
          })}
        </p>
        <p>
          {rich(lang, "record.verify", {
            script: (
              <a href="/transparency/verify.mjs" download="verify.mjs">
                verify.mjs
              </a>
            ),
          })}
        </p>
        <p>
          <code>
            node verify.mjs {props.origin} --pin {page.verifierKey}
          </code>
        </p>
        <p>{rich(lang, "record.verify.sha", { sha: <code>{script.sha256}</code> })}</p>
      </section>
      <p>{t(lang, "record.checkedBy")}</p>
      {page.entries.length === 0 ? (
        <p>{t(lang, "record.none")}</p>
      ) : (
        <>
          <p class="meta">
            {t(lang, "record.page", { from: String(last), to: String(first), size: String(page.size) })}
          </p>
          <ul class="entries">
            {page.entries.map(({ entry, status }) => (
              <li id={`entry-${entry.index}`} class={`entry ${status}`}>
                <p>
                  {[
                    <strong>{t(lang, "record.entry", { index: entry.index })}</strong>,
                    typeof entry.document.at === "string" && !Number.isNaN(Date.parse(entry.document.at)) ? (
                      <When date={new Date(entry.document.at)} lang={lang} />
                    ) : null,
                    webHref(entry.document.community) ? (
                      <CommunityOf url={entry.document.community} lang={lang} />
                    ) : null,
                  ]
                    .filter(Boolean)
                    .flatMap((part, i) => (i === 0 ? [part] : [" · ", part]))}
                </p>
                <p>
                  <ActSentence entry={entry} lang={lang} />
                </p>
                <p class="meta">
                  <span class={`status ${status}`}>
                    {status === "verified" ? "✓ " : status === "failed" ? "✗ " : "… "}
                    {t(lang, STATUS[status])}
                  </span>
                  {" · "}
                  <a href={`/transparency/records/${entry.index}`}>{t(lang, "record.document")}</a>
                  {status !== "pending" && (
                    <>
                      {" · "}
                      <a href={`/transparency/proofs/inclusion?index=${entry.index}&size=${checkpoint.size}`}>
                        {t(lang, "record.proof")}
                      </a>
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
      <nav class="pager">
        {page.newer !== undefined && <a href={`/transparency?before=${page.newer}`}>{t(lang, "record.newer")}</a>}{" "}
        {page.older !== undefined && <a href={`/transparency?before=${page.older}`}>{t(lang, "record.older")}</a>}
      </nav>
    </Layout>
  );
}
