import type { Community } from "../../domain/communities";
import { renderMarkdown } from "../../domain/html";
import { t, type Lang, type MessageKey } from "../../i18n";
import { MAX_STEPS, POST_LANGUAGES, type CampaignFormValues, type FieldErrors } from "../form";
import { ConsoleLayout, Notices, type Chrome } from "./layout";
import { formatDate, zoneName } from "./parts";

/** The post languages by name in the reader's language; a campaign's other tag is kept as is. */
function languageOptions(lang: Lang, current: string): Array<[string, string]> {
  const names = new Intl.DisplayNames([lang], { type: "language" });
  const tags: string[] =
    POST_LANGUAGES.includes(current as never) || !current ? [...POST_LANGUAGES] : [current, ...POST_LANGUAGES];
  return tags.map((tag) => [tag, `${names.of(tag) ?? tag} (${tag})`]);
}

/** The message under a field, which the field names in aria-describedby. */
function FieldError(props: { lang: Lang; id: string; error?: MessageKey }) {
  return props.error ? (
    <p class="error" id={props.id}>
      {t(props.lang, props.error)}
    </p>
  ) : null;
}

const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(" ") || undefined;

function Field(props: {
  lang: Lang;
  name: keyof CampaignFormValues;
  label: MessageKey;
  errors: FieldErrors;
  hint?: MessageKey;
  value: string;
  type?: string;
  textarea?: boolean;
  /** value → shown name, for a list */
  options?: Array<[string, string]>;
  params?: Record<string, string>;
}) {
  const { lang, name, errors } = props;
  const error = errors[name];
  const attrs = {
    id: `f-${name}`,
    name,
    "aria-invalid": error ? "true" : undefined,
    "aria-describedby": describedBy(props.hint && `h-${name}`, error && `e-${name}`),
  };
  return (
    <div>
      <label for={`f-${name}`}>{t(lang, props.label, props.params)}</label>
      {props.hint && (
        <p class="hint" id={`h-${name}`}>
          {t(lang, props.hint)}
        </p>
      )}
      {props.options ? (
        <select {...attrs}>
          {props.options.map(([value, label]) => (
            <option value={value} selected={value === props.value}>
              {label}
            </option>
          ))}
        </select>
      ) : props.textarea ? (
        <textarea {...attrs}>{props.value}</textarea>
      ) : (
        <input type={props.type ?? "text"} value={props.value} {...attrs} />
      )}
      <FieldError lang={lang} id={`e-${name}`} error={error} />
    </div>
  );
}

/**
 * How Mastodon shows the post: the text Ensemble federates (title in bold, the description,
 * the link), hashtags, then the poll whose options are the steps and its end.
 */
export function MastodonPreview(props: {
  lang: Lang;
  timeZone: string;
  community: Community;
  host: string;
  values: CampaignFormValues;
  endsAt?: Date;
  link?: string;
}) {
  const { lang, community, values } = props;
  const steps = values.steps.filter((s) => s.trim() !== "");
  const tags = values.hashtags
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((h) => `#${h.replace(/^#/, "")}`);
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">{t(lang, "preview.title")}</h2>
      <p class="hint">{t(lang, "preview.intro")}</p>
      <div class="toot">
        <p>
          <span class="who">{community.name}</span>{" "}
          <span class="handle">
            @{community.handle}@{props.host}
          </span>
        </p>
        <p>
          <strong>{values.title}</strong>
        </p>
        <div dangerouslySetInnerHTML={{ __html: renderMarkdown(values.description) }} />
        <p>
          {/* the post ends with the campaign's own page, as federation/campaign-object.ts writes it */}
          {props.link ? (
            <a href={props.link}>{props.link}</a>
          ) : (
            <span class="hint">{t(lang, "preview.linkLater")}</span>
          )}
        </p>
        {tags.length > 0 && (
          <p>
            {tags.map((tag) => (
              <span class="hashtag">{tag} </span>
            ))}
          </p>
        )}
        {/* biome-ignore lint/a11y/useSemanticElements: styled as the form's option rows; the roles name the list for screen readers */}
        <div role="list">
          {steps.map((s) => (
            // biome-ignore lint/a11y/useSemanticElements: see the list above
            <div class="option" role="listitem">
              {s}
            </div>
          ))}
        </div>
        <p class="meta">
          {t(lang, "preview.votes")}
          {props.endsAt && !Number.isNaN(props.endsAt.getTime()) && (
            <> · {t(lang, "preview.ends", { date: formatDate({ lang, timeZone: props.timeZone }, props.endsAt) })}</>
          )}
        </p>
      </div>
    </section>
  );
}

export function CampaignFormPage(props: {
  chrome: Chrome;
  community: Community;
  host: string;
  action: string;
  heading: string;
  values: CampaignFormValues;
  errors: FieldErrors;
  /** Published campaigns keep their steps: Mastodon drops every vote when poll options change. */
  stepsFixed: boolean;
  preview?: { endsAt?: Date };
  alert?: string;
}) {
  const { chrome, values, errors } = props;
  const { lang } = chrome;
  const hasErrors = Object.keys(errors).length > 0;
  const boxes = Array.from({ length: MAX_STEPS }, (_, i) => values.steps[i] ?? "");
  const zone = { zone: zoneName({ lang, timeZone: values.timeZone }) };
  return (
    <ConsoleLayout chrome={chrome} title={props.heading}>
      <h1>{props.heading}</h1>
      {hasErrors && (
        <p class="alert" role="alert">
          {t(lang, "form.errorSummary")}
        </p>
      )}
      <Notices alert={props.alert} />
      {props.preview && !hasErrors && (
        <MastodonPreview
          lang={lang}
          timeZone={chrome.timeZone}
          community={props.community}
          host={props.host}
          values={values}
          endsAt={props.preview.endsAt}
        />
      )}
      <form method="post" action={props.action} novalidate>
        <input type="hidden" name="csrf" value={chrome.csrf} />
        <input type="hidden" name="timeZone" value={values.timeZone} />
        <Field lang={lang} name="title" label="form.title" errors={errors} value={values.title} />
        <Field
          lang={lang}
          name="description"
          label="form.description"
          hint="form.descriptionHint"
          errors={errors}
          value={values.description}
          textarea
        />
        <fieldset aria-describedby={describedBy("h-steps", errors.steps && "e-steps")}>
          <legend>{t(lang, "form.steps")}</legend>
          <p class="hint" id="h-steps">
            {t(lang, props.stepsFixed ? "form.stepsFixed" : "form.stepsHint")}
          </p>
          <FieldError lang={lang} id="e-steps" error={errors.steps} />
          {boxes.map((step, i) =>
            props.stepsFixed && !step ? null : (
              <div>
                <label for={`f-step-${i}`}>{t(lang, "form.step", { n: i + 1 })}</label>
                <input
                  type="text"
                  id={`f-step-${i}`}
                  name="steps"
                  value={step}
                  maxlength={200}
                  readonly={props.stepsFixed}
                  aria-invalid={errors[`steps.${i}`] ? "true" : undefined}
                  aria-describedby={describedBy(errors[`steps.${i}`] && `e-step-${i}`)}
                />
                <FieldError lang={lang} id={`e-step-${i}`} error={errors[`steps.${i}`]} />
              </div>
            ),
          )}
        </fieldset>
        <Field
          lang={lang}
          name="startsAt"
          label="form.startsAt"
          type="datetime-local"
          errors={errors}
          value={values.startsAt}
          params={zone}
        />
        <Field
          lang={lang}
          name="endsAt"
          label="form.endsAt"
          type="datetime-local"
          errors={errors}
          value={values.endsAt}
          params={zone}
        />
        <Field lang={lang} name="goal" label="form.goal" type="number" errors={errors} value={values.goal} />
        <Field
          lang={lang}
          name="language"
          label="form.language"
          errors={errors}
          value={values.language}
          options={languageOptions(lang, values.language)}
        />
        <Field lang={lang} name="hashtags" label="form.hashtags" errors={errors} value={values.hashtags} />
        <div class="actions">
          <button type="submit" name="intent" value="preview" class="secondary">
            {t(lang, "form.preview")}
          </button>
          <button type="submit" name="intent" value="save">
            {t(lang, "form.save")}
          </button>
        </div>
      </form>
    </ConsoleLayout>
  );
}
