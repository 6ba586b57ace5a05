import { fediverseHandle, isWebUrl } from "../domain/authors";
import { t, type Lang } from "../i18n";
import { WebLink } from "./web-link";

/** What a page needs to name a reply's author (see src/domain/authors.ts). */
export interface ReplyAuthorFields {
  authorIri: string;
  authorUsername: string | null;
  authorName: string | null;
  authorUrl: string | null;
}

/**
 * `Display name @user@host`, linked to the author's profile page when it is a web address; an
 * author whose actor could not be read is "an account on host", never a raw IRI.
 */
export function ReplyAuthor(props: { reply: ReplyAuthorFields; lang: Lang }) {
  const { reply: r, lang } = props;
  const handle = fediverseHandle(r.authorIri, r.authorUsername);
  const web = isWebUrl(r.authorIri);
  const href = r.authorUrl ?? (web ? r.authorIri : undefined);
  const label = handle ? (
    <>
      {r.authorName && <span class="author-name">{r.authorName} </span>}
      <span class="handle">{handle}</span>
    </>
  ) : (
    t(lang, web ? "site.reply.someone" : "site.reply.unknown", { host: web ? new URL(r.authorIri).host : "" })
  );
  return href ? <WebLink href={href}>{label}</WebLink> : <>{label}</>;
}
