import type { CampaignPublisher } from "../domain/publisher";
import type { Hono } from "hono";
import { ZodError } from "zod";
import type { Services } from "../services";
import { listBlocks, type Block } from "../domain/blocks";
import { currentRules, GovernanceNotFoundError, GovernanceStateError } from "../domain/governance";
import { block, hideReply, liftBlock, listFlags, rejectFlag, type ModerationFlag } from "../domain/moderation";
import { findInboundNote, type InboundNote } from "../domain/notes";
import { t, type Lang, type MessageKey } from "../i18n";
import { chromeOf, noticeOf, textField, type ConsoleContext, type ConsoleEnv } from "./env";
import { ConsoleLayout, Notices, type Chrome } from "./pages/layout";
import { formatDate, SubmitButton } from "./pages/parts";

/**
 * Moderation in the console: the flags (ActivityPub Flag, "reports" to the people who send them
 * and in the page's words) with what they point at, and the decisions (hide a reply, block an
 * account or a domain, lift a block, reject a flag). Each
 * decision goes through the same domain functions as the API, so it is published as a statement
 * of reasons in the public record; the page then links that record entry.
 */

/** The rules in force, one per non-empty line: a decision quotes one of them, word for word. */
export const ruleLines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

interface FlagView {
  flag: ModerationFlag;
  /** The flagged objects: a reply this community received, or an account/other IRI. */
  objects: Array<{ iri: string; note?: InboundNote }>;
}

const fieldKeys: Record<string, MessageKey> = {
  rule: "cmod.error.rule",
  facts: "cmod.error.facts",
  value: "cmod.error.value",
  note: "cmod.error.note",
};

export function moderationRoutes(app: Hono<ConsoleEnv>, publisher: CampaignPublisher, services: Services): void {
  const { db } = services;

  const page = async (c: ConsoleContext, alert?: string, status: 200 | 404 | 409 | 422 = 200) => {
    const { community } = c.get("session");
    const open = await listFlags(db, community.id, "open");
    const flags = await Promise.all(
      open.map(async (flag) => ({
        flag,
        objects: await Promise.all(
          flag.objectIris.map(async (iri) => ({ iri, note: await communityNote(iri, community.id) })),
        ),
      })),
    );
    const record = Number(c.req.query("record"));
    return c.html(
      <ModerationPage
        chrome={chromeOf(c)}
        handle={community.handle}
        flags={flags}
        blocks={await listBlocks(db, community.id)}
        rules={ruleLines((await currentRules(db, community.id))?.text)}
        notice={noticeOf(c, { decided: "cmod.decided" })}
        record={Number.isInteger(record) && record >= 0 ? record : undefined}
        alert={alert}
      />,
      status,
    );
  };
  const communityNote = async (iri: string, communityId: string) => {
    const note = URL.canParse(iri) ? await findInboundNote(db, iri) : undefined;
    return note && note.communityId === communityId ? note : undefined;
  };

  /** Runs a decision; the domain's refusals come back on the page, in the steward's language. */
  const decide = async (
    c: ConsoleContext,
    run: (body: Record<string, unknown>, by: string) => Promise<{ recordIndex: number }>,
  ) => {
    const lang = c.get("lang");
    const body = await c.req.parseBody();
    try {
      const act = await run(body, c.get("session").label);
      return c.redirect(`/console/moderation?done=decided&record=${act.recordIndex}`, 303);
    } catch (e) {
      if (e instanceof ZodError) {
        const keys = [...new Set(e.issues.map((i) => fieldKeys[String(i.path[0])] ?? "cmod.error.facts"))];
        return page(c, keys.map((k) => t(lang, k)).join(" "), 422);
      }
      if (e instanceof GovernanceStateError) return page(c, t(lang, "cmod.error.state", { detail: e.message }), 409);
      if (e instanceof GovernanceNotFoundError)
        return page(c, t(lang, "cmod.error.notFound", { detail: e.message }), 404);
      throw e;
    }
  };
  // the form field and the reject URL keep the API's word, "report" (src/http/api/moderation.ts)
  const flagOf = (body: Record<string, unknown>) => textField(body, "report") || undefined;
  const kindOf = (body: Record<string, unknown>) => (textField(body, "kind") === "domain" ? "domain" : "actor");

  app.get("/moderation", (c) => page(c));

  // a reply hidden on the steward's own initiative (from the dashboard): the same form, alone
  app.get("/moderation/hide", async (c) => {
    const { community } = c.get("session");
    const note = await communityNote(c.req.query("note") ?? "", community.id);
    if (!note) return page(c, t(c.get("lang"), "cmod.error.notFound", { detail: "" }), 404);
    return c.html(
      <HideReplyPage
        chrome={chromeOf(c)}
        note={note}
        rules={ruleLines((await currentRules(db, community.id))?.text)}
      />,
    );
  });

  app.post("/moderation/hide", (c) =>
    decide(c, (body, by) =>
      hideReply(
        services,
        c.get("session").community,
        {
          note: textField(body, "note"),
          rule: textField(body, "rule"),
          facts: textField(body, "facts"),
          report: flagOf(body),
        },
        by,
      ),
    ),
  );
  app.post("/moderation/block", (c) =>
    decide(c, async (body, by) => {
      const input = {
        kind: kindOf(body),
        value: textField(body, "value"),
        rule: textField(body, "rule"),
        facts: textField(body, "facts"),
        report: flagOf(body),
      } as const;
      return (await block(services, c.get("session").community, input, by, publisher)).act;
    }),
  );
  app.post("/moderation/lift", (c) =>
    decide(c, async (body, by) => {
      const input = { kind: kindOf(body), value: textField(body, "value"), facts: textField(body, "facts") } as const;
      return (await liftBlock(services, c.get("session").community, input, by, publisher)).act;
    }),
  );
  app.post("/moderation/reports/:id/reject", (c) =>
    decide(c, (body, by) =>
      rejectFlag(services, c.get("session").community, c.req.param("id"), { facts: textField(body, "facts") }, by),
    ),
  );
}

/** Rule and facts: the two parts of a statement of reasons the moderator writes. */
function Reasons(props: { lang: Lang; id: string; rules: string[]; withRule: boolean }) {
  const { lang, id, rules } = props;
  return (
    <>
      {props.withRule && (
        <>
          <label for={`${id}-rule`}>{t(lang, "cmod.rule")}</label>
          <select id={`${id}-rule`} name="rule" required>
            {rules.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </>
      )}
      <label for={`${id}-facts`}>{t(lang, "cmod.facts")}</label>
      <p class="hint" id={`${id}-facts-hint`}>
        {t(lang, "cmod.factsHint")}
      </p>
      <textarea id={`${id}-facts`} name="facts" aria-describedby={`${id}-facts-hint`} required />
    </>
  );
}

/** One decision as a form of its own: its action, what it acts on, the reasons, one button. */
function DecisionForm(props: {
  chrome: Chrome;
  id: string;
  action: string;
  fields: Record<string, string>;
  rules: string[];
  withRule: boolean;
  button: MessageKey;
  danger?: boolean;
  summary: MessageKey;
  open?: boolean;
}) {
  const { lang, csrf } = props.chrome;
  const blocked = props.withRule && props.rules.length === 0;
  return (
    <details class="card" open={props.open}>
      <summary>{t(lang, props.summary)}</summary>
      {blocked ? (
        <p>
          {t(lang, "cmod.noRules")} <a href="/console/governance">{t(lang, "cmod.noRulesLink")}</a>
        </p>
      ) : (
        <form method="post" action={props.action}>
          <input type="hidden" name="csrf" value={csrf} />
          {Object.entries(props.fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <Reasons lang={lang} id={props.id} rules={props.rules} withRule={props.withRule} />
          <SubmitButton lang={lang} label={props.button} danger={props.danger} />
        </form>
      )}
    </details>
  );
}

const hostOf = (iri: string) => (URL.canParse(iri) ? new URL(iri).hostname : "");

function FlagCard(props: { chrome: Chrome; view: FlagView; rules: string[]; n: number }) {
  const { chrome, view, rules, n } = props;
  const { lang } = chrome;
  const { flag } = view;
  const note = view.objects.find((o) => o.note)?.note;
  const account = note?.authorIri ?? view.objects.find((o) => !o.note)?.iri;
  return (
    <article class="card" aria-labelledby={`r-${n}`}>
      <h3 id={`r-${n}`}>{t(lang, "cmod.flag", { date: formatDate(chrome, flag.receivedAt) })}</h3>
      <p class="meta">{t(lang, "cmod.flaggedBy", { who: flag.reporterIri.replace(/^https?:\/\//, "") })}</p>
      {flag.content && (
        <>
          <p>
            <strong>{t(lang, "cmod.flaggerSays")}</strong>
          </p>
          <p class="text">{flag.content}</p>
        </>
      )}
      <p>
        <strong>{t(lang, "cmod.flagged")}</strong>
      </p>
      {view.objects.map((o) =>
        o.note ? (
          <blockquote class="card">
            <p class="meta">
              {o.note.authorIri.replace(/^https?:\/\//, "")} · {formatDate(chrome, o.note.published)}
              {o.note.hidden && <> · {t(lang, "cmod.alreadyHidden")}</>}
            </p>
            <p class="text">{o.note.text}</p>
          </blockquote>
        ) : (
          <p class="text">{o.iri}</p>
        ),
      )}
      {note && !note.hidden && (
        <DecisionForm
          chrome={chrome}
          id={`hide-${n}`}
          action="/console/moderation/hide"
          fields={{ report: flag.id, note: note.iri }}
          rules={rules}
          withRule
          button="cmod.hide"
          summary="cmod.hideSummary"
        />
      )}
      {account && (
        <DecisionForm
          chrome={chrome}
          id={`block-${n}`}
          action="/console/moderation/block"
          fields={{ report: flag.id, kind: "actor", value: account }}
          rules={rules}
          withRule
          button="cmod.block"
          summary="cmod.blockSummary"
          danger
        />
      )}
      {account && hostOf(account) && (
        <DecisionForm
          chrome={chrome}
          id={`domain-${n}`}
          action="/console/moderation/block"
          fields={{ report: flag.id, kind: "domain", value: hostOf(account) }}
          rules={rules}
          withRule
          button="cmod.blockDomain"
          summary="cmod.blockDomainSummary"
          danger
        />
      )}
      <DecisionForm
        chrome={chrome}
        id={`reject-${n}`}
        action={`/console/moderation/reports/${flag.id}/reject`}
        fields={{}}
        rules={rules}
        withRule={false}
        button="cmod.reject"
        summary="cmod.rejectSummary"
      />
    </article>
  );
}

export function ModerationPage(props: {
  chrome: Chrome;
  handle: string;
  flags: FlagView[];
  blocks: Block[];
  rules: string[];
  notice?: string;
  record?: number;
  alert?: string;
}) {
  const { chrome, flags, blocks, rules } = props;
  const { lang } = chrome;
  const title = t(lang, "cmod.title");
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <Notices
        notice={props.notice}
        alert={props.alert}
        extra={
          <>
            {props.record !== undefined && (
              <>
                <a href={`/transparency/records/${props.record}`}>
                  {t(lang, "cmod.recordEntry", { index: props.record })}
                </a>{" "}
                ·{" "}
              </>
            )}
            <a href={`/communities/${props.handle}/moderation`}>{t(lang, "cmod.publicLog")}</a>
          </>
        }
      />
      <h1>{title}</h1>
      <p>{t(lang, "cmod.intro")}</p>
      <h2>{t(lang, "cmod.openFlags", { count: flags.length })}</h2>
      {flags.length === 0 && <p>{t(lang, "cmod.noFlags")}</p>}
      {flags.map((view, n) => (
        <FlagCard chrome={chrome} view={view} rules={rules} n={n} />
      ))}
      <h2>{t(lang, "cmod.blocks")}</h2>
      {blocks.length === 0 && <p>{t(lang, "cmod.noBlocks")}</p>}
      {blocks.map((b, n) => (
        <section class="card" aria-labelledby={`b-${n}`}>
          <h3 id={`b-${n}`} class="text">
            {t(lang, b.kind === "domain" ? "cmod.blockedDomain" : "cmod.blockedAccount", { value: b.value })}
          </h3>
          <p class="meta">{formatDate(chrome, b.createdAt)}</p>
          <DecisionForm
            chrome={chrome}
            id={`lift-${n}`}
            action="/console/moderation/lift"
            fields={{ kind: b.kind, value: b.value }}
            rules={rules}
            withRule={false}
            button="cmod.lift"
            summary="cmod.liftSummary"
          />
        </section>
      ))}
    </ConsoleLayout>
  );
}

export function HideReplyPage(props: { chrome: Chrome; note: InboundNote; rules: string[] }) {
  const { chrome, note } = props;
  const { lang } = chrome;
  const title = t(lang, "cmod.hideTitle");
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <blockquote class="card">
        <p class="meta">
          {note.authorIri.replace(/^https?:\/\//, "")} · {formatDate(chrome, note.published)}
        </p>
        <p class="text">{note.text}</p>
      </blockquote>
      <DecisionForm
        chrome={chrome}
        id="hide"
        action="/console/moderation/hide"
        fields={{ note: note.iri }}
        rules={props.rules}
        withRule
        button="cmod.hide"
        summary="cmod.hideSummary"
        open
      />
    </ConsoleLayout>
  );
}
