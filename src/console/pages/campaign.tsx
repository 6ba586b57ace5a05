import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Campaign, CampaignUpdate, Tally } from "../../domain/campaigns";
import type { ScheduledPublication } from "../../domain/schedule";
import type { Recognition } from "../../domain/recognition";
import { t, type Lang, type MessageKey } from "../../i18n";
import type { FieldErrors } from "../form";
import { SignalCard, SilentMajority, type Listening } from "../listening";
import { ConsoleLayout, Notices, type Chrome } from "./layout";
import { formatDate, Progress, Status, StepCounts, SubmitButton } from "./parts";

/** A one-field form posting to an action of the campaign, its error next to the field. */
function ActionForm(props: {
  chrome: Chrome;
  action: string;
  name: string;
  label: MessageKey;
  button: MessageKey;
  error?: MessageKey;
  danger?: boolean;
  value?: string;
}) {
  const { lang, csrf } = props.chrome;
  const id = `f-${props.name}`;
  return (
    <form method="post" action={props.action} class="card">
      <input type="hidden" name="csrf" value={csrf} />
      <label for={id}>{t(lang, props.label)}</label>
      <textarea
        id={id}
        name={props.name}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `e-${props.name}` : undefined}
      >
        {props.value ?? ""}
      </textarea>
      {props.error && (
        <p class="error" id={`e-${props.name}`}>
          {t(lang, props.error)}
        </p>
      )}
      <SubmitButton lang={lang} label={props.button} danger={props.danger} />
    </form>
  );
}

export function CampaignConsolePage(props: {
  chrome: Chrome;
  handle: string;
  campaign: Campaign;
  tally: Tally;
  updates: CampaignUpdate[];
  notice?: string;
  alert?: string;
  errors?: FieldErrors;
  listening?: Listening;
  /** A pre-filled update (a listening card's proposal). */
  draft?: string;
  /** A draft: when it is scheduled to go out, if it is. */
  scheduled?: ScheduledPublication;
  /** A draft: the post as followers will see it. */
  preview?: Child;
  recognition?: Recognition;
}) {
  const { chrome, campaign, tally } = props;
  const { lang, csrf } = chrome;
  const base = `/console/campaigns/${campaign.id}`;
  return (
    <ConsoleLayout chrome={chrome} title={campaign.title}>
      <Notices notice={props.notice} alert={props.alert} />
      <h1>
        {campaign.title} <Status lang={lang} campaign={campaign} />
      </h1>
      <p class="meta">
        {t(lang, "campaign.dates", {
          start: formatDate(chrome, campaign.startsAt),
          end: formatDate(chrome, campaign.endsAt),
        })}
      </p>
      <Progress lang={lang} id="progress" campaign={campaign} tally={tally} />
      {props.listening && (
        <section aria-labelledby="listening">
          <h2 id="listening">{t(lang, "clisten.heading")}</h2>
          <SilentMajority lang={lang} followers={props.listening.followers} silent={props.listening.silent} />
          {props.listening.signals.map((s) => (
            <SignalCard lang={lang} campaign={campaign} signal={s} />
          ))}
          <p>
            <a href={`${base}/listening`}>{t(lang, "clisten.open")}</a>
          </p>
        </section>
      )}
      <h2>{t(lang, "campaign.steps")}</h2>
      <StepCounts lang={lang} tally={tally} />
      {campaign.outcome && (
        <>
          <h2>{t(lang, "campaign.outcome")}</h2>
          <p class="text">{campaign.outcome}</p>
        </>
      )}
      <div class="actions">
        {campaign.status !== "closed" && (
          <a class="button secondary" href={`${base}/edit`}>
            {t(lang, "campaign.edit")}
          </a>
        )}
        {campaign.status !== "draft" && (
          <a class="button secondary" href={`/communities/${props.handle}/campaigns/${campaign.id}`}>
            {t(lang, "campaign.publicPage")}
          </a>
        )}
        <a class="button secondary" href={`${base}/delete`}>
          {t(lang, "action.delete")}
        </a>
      </div>
      {campaign.status === "draft" && props.preview}
      {campaign.status === "draft" &&
        (props.scheduled ? (
          <form method="post" action={`${base}/unschedule`} class="card">
            <input type="hidden" name="csrf" value={csrf} />
            <p>{t(lang, "confirm.scheduledFor", { start: formatDate(chrome, new Date(props.scheduled.at)) })}</p>
            <button type="submit" class="secondary">
              {t(lang, "confirm.unschedule")}
            </button>
          </form>
        ) : (
          <div class="card">
            <p>{t(lang, "action.publishHint")}</p>
            <a class="button" href={`${base}/publish`}>
              {t(lang, "action.publish")}
            </a>
          </div>
        ))}
      {campaign.status !== "draft" && (
        <ActionForm
          chrome={chrome}
          action={`${base}/updates`}
          name="content"
          label="action.updateLabel"
          button="action.update"
          error={props.errors?.content}
          value={props.draft}
        />
      )}
      {props.recognition && campaign.status !== "draft" && <Thanks chrome={chrome} recognition={props.recognition} />}
      {campaign.status === "open" && (
        <ActionForm
          chrome={chrome}
          action={`${base}/close`}
          name="outcome"
          label="action.closeLabel"
          button="action.close"
          error={props.errors?.outcome}
          value={props.recognition?.named.length ? `…\n\n${thanksLine(lang, props.recognition)}` : undefined}
        />
      )}
      {props.updates.length > 0 && (
        <>
          <h2>{t(lang, "campaign.updates")}</h2>
          {props.updates.map((u) => (
            <article class="card">
              <p class="meta">{formatDate(chrome, u.publishedAt)}</p>
              {/* rendered from Markdown and sanitized on write (renderMarkdown), as on the public page */}
              <div>{raw(u.contentHtml)}</div>
            </article>
          ))}
        </>
      )}
    </ConsoleLayout>
  );
}

/** `https://host/users/name` reads as `@name@host`; any other IRI without its scheme. */
export const displayActor = (iri: string) => {
  const m = /^https?:\/\/([^/]+)\/(?:users|@|u)\/?([\w.-]+)$/.exec(iri);
  return m ? `@${m[2]}@${m[1]}` : iri.replace(/^https?:\/\//, "");
};

/** The sentence the outcome ends with: the people who asked to be named, the others counted. */
export const thanksLine = (lang: Lang, r: Recognition) =>
  t(lang, r.others === 0 ? "thanks.lineOnly" : "thanks.line", {
    names: r.named.map(displayActor).join(", "),
    count: r.others,
  });

/** Who asked to be thanked by name (opt-in, revocable, from their own client), and how many others took part. */
function Thanks(props: { chrome: Chrome; recognition: Recognition }) {
  const { lang } = props.chrome;
  const { named, others } = props.recognition;
  return (
    <section aria-labelledby="thanks">
      <h2 id="thanks">{t(lang, "thanks.heading")}</h2>
      <p>{t(lang, "thanks.how")}</p>
      {named.length > 0 ? (
        <p>{t(lang, "thanks.named", { names: named.map(displayActor).join(", "), count: others })}</p>
      ) : (
        <p>{t(lang, "thanks.none", { count: others })}</p>
      )}
    </section>
  );
}

/** Deleting cannot be undone, so it takes a page of its own and a second, explicit button. */
export function DeleteConfirmPage(props: { chrome: Chrome; campaign: Campaign }) {
  const { chrome, campaign } = props;
  const { lang } = chrome;
  const title = t(lang, "action.deleteTitle", { title: campaign.title });
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>{t(lang, "action.deleteBody")}</p>
      <form method="post" action={`/console/campaigns/${campaign.id}/delete`} class="actions">
        <input type="hidden" name="csrf" value={chrome.csrf} />
        <button type="submit" class="danger">
          {t(lang, "action.deleteConfirm")}
        </button>
        <a class="button secondary" href={`/console/campaigns/${campaign.id}`}>
          {t(lang, "action.cancel")}
        </a>
      </form>
    </ConsoleLayout>
  );
}
