import type { Hono } from "hono";
import type { Services } from "../services";
import type { Campaign } from "../domain/campaigns";
import { countFollowers, countSilentFollowers } from "../domain/followers";
import { t, type Lang, type MessageKey } from "../i18n";
import {
  DEFAULT_ESTIMATOR,
  type Report,
  type Estimate,
  isSuppressed,
  scopeReport,
  type SignalName,
  type WeakSignal,
  weeksBefore,
  windowKey,
} from "../reports";
import { chromeOf, type ConsoleEnv } from "./env";
import { ConsoleLayout, type Chrome } from "./pages/layout";

/**
 * Listening: how a campaign's mood moves, and what to do about it. The figures are the public
 * weekly report's (same function, same k-anonymity, same noise), so a steward sees nothing an
 * auditor cannot: shares of people and of messages per Ekman group with their intervals, never
 * a note's or a person's score. A weak signal (the report's own test) becomes a card in plain
 * words with a proposed next step, as a draft the steward edits before anything is sent.
 */

/** Flags of the current or the previous week: older ones have been seen, or are history. */
export function recentSignals(report: Report, now = new Date()): WeakSignal[] {
  const thisWeek = windowKey(now, "week");
  const recent = new Set([thisWeek, ...weeksBefore(thisWeek, 1)]);
  return (report.weakSignals ?? []).filter((s) => recent.has(s.week));
}

export interface Listening {
  report: Report | null;
  followers: number;
  silent: number;
  signals: WeakSignal[];
}

export async function loadListening(services: Services, campaign: Campaign): Promise<Listening> {
  const { db, config } = services;
  // Live exact aggregates (k-suppressed, no noise): the steward already reads every public reply
  // and the model is public, so noise would hide nothing from them and only delay the signal by a
  // week; the public report stays private and released once a week has closed.
  const report = await scopeReport(
    db,
    { ...config, reportEpsilon: undefined },
    {
      scopeId: campaign.id,
      communityId: campaign.communityId,
      title: campaign.title,
      window: "week",
      estimator: DEFAULT_ESTIMATOR,
      generatedAt: new Date(),
    },
  );
  return {
    report,
    followers: await countFollowers(db, campaign.communityId),
    silent: await countSilentFollowers(db, campaign.communityId, campaign.id),
    signals: report ? recentSignals(report) : [],
  };
}

export function listeningRoutes(app: Hono<ConsoleEnv>, services: Services): void {
  app.get("/campaigns/:id/listening", async (c) => {
    const campaign = c.get("campaign");
    return c.html(
      <ListeningPage chrome={chromeOf(c)} campaign={campaign} listening={await loadListening(services, campaign)} />,
    );
  });
}

/** A week by its Monday, in words ("30 novembre 2026"): weeks are UTC calendar weeks, as in the public report. */
const weekName = (lang: Lang, key: string) =>
  new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(`${key}T00:00:00Z`),
  );

const pct = (x: number) => `${Math.round(x * 100)} %`;
const interval = (lang: Lang, e: Estimate) =>
  t(lang, "clisten.interval", { estimate: pct(e.estimate), low: pct(e.low), high: pct(e.high) });

const cardText: Record<SignalName, { title: MessageKey; body: MessageKey; action: MessageKey; good: boolean }> = {
  fear: { title: "clisten.fear.title", body: "clisten.fear.body", action: "clisten.answerConcerns", good: false },
  anger: { title: "clisten.anger.title", body: "clisten.anger.body", action: "clisten.answerConcerns", good: false },
  "positive-momentum": { title: "clisten.joy.title", body: "clisten.joy.body", action: "clisten.nextStep", good: true },
};

/** A weak signal in plain words, and the one thing the steward might do next. */
export function SignalCard(props: { lang: Lang; campaign: Campaign; signal: WeakSignal }) {
  const { lang, campaign, signal } = props;
  const text = cardText[signal.signal];
  const week = weekName(lang, signal.week);
  const href = text.good
    ? `/console/campaigns/new?from=${campaign.id}`
    : `/console/campaigns/${campaign.id}?draft=concerns#f-content`;
  return (
    <section class={`card signal${text.good ? " good" : ""}`} aria-label={t(lang, text.title)}>
      <h3>{t(lang, text.title)}</h3>
      <p>
        {t(lang, text.body, { week, share: pct(signal.share), baseline: pct(signal.baseline), title: campaign.title })}
      </p>
      <p>
        <a class="button" href={href}>
          {t(lang, text.action)}
        </a>
      </p>
    </section>
  );
}

export function SilentMajority(props: { lang: Lang; followers: number; silent: number }) {
  return <p>{t(props.lang, "clisten.silent", { count: props.silent, followers: props.followers })}</p>;
}

export function ListeningPage(props: { chrome: Chrome; campaign: Campaign; listening: Listening }) {
  const { chrome, campaign, listening } = props;
  const { lang } = chrome;
  const { report } = listening;
  const title = t(lang, "clisten.title", { title: campaign.title });
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>
        <a href={`/console/campaigns/${campaign.id}`}>{t(lang, "clisten.back")}</a>
      </p>
      <SilentMajority lang={lang} followers={listening.followers} silent={listening.silent} />
      <h2>{t(lang, "clisten.signals")}</h2>
      {listening.signals.length === 0 && <p>{t(lang, "clisten.noSignal")}</p>}
      {listening.signals.map((s) => (
        <SignalCard lang={lang} campaign={campaign} signal={s} />
      ))}
      <h2>{t(lang, "clisten.shares")}</h2>
      <p class="hint">{t(lang, "clisten.sharesIntro", { k: report?.k ?? 11 })}</p>
      {!report && <p>{t(lang, "clisten.noModel")}</p>}
      {report && report.windows.length === 0 && <p>{t(lang, "clisten.noReplies")}</p>}
      {report?.windows.map((w) => (
        <section class="card" aria-labelledby={`w-${w.key}`}>
          <h3 id={`w-${w.key}`}>{t(lang, "clisten.week", { week: weekName(lang, w.key) })}</h3>
          {w.suppressed ? (
            <p>{t(lang, "clisten.suppressed", { k: report.k })}</p>
          ) : (
            <div class="table-scroll">
              <table class="shares">
                <thead>
                  <tr>
                    <th scope="col">{t(lang, "clisten.group")}</th>
                    <th scope="col">{t(lang, "clisten.byPerson")}</th>
                    <th scope="col">{t(lang, "clisten.byMessage")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.groups.map((g) => {
                    const cell = w.groups[g];
                    return (
                      <tr>
                        <th scope="row">{t(lang, `clisten.group.${g}` as MessageKey)}</th>
                        <td>{interval(lang, cell.byPerson.adjusted)}</td>
                        <td>
                          {isSuppressed(cell.byMessage)
                            ? t(lang, "clisten.withheld")
                            : interval(lang, cell.byMessage.adjusted)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </ConsoleLayout>
  );
}
