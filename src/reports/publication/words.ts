// The report's vocabulary in the reader's language, shared by the page (src/site/pages/report.tsx)
// and its charts (src/site/pages/report-charts.tsx): shares, emotion group names, suppression reasons.

import { t, type Lang, type MessageKey } from "../../i18n";
import type { Report } from "./aggregate";
import { COMPLEMENTARY_REASON, primaryReason, type Suppressed } from "./privacy";

/** A share as the reader writes it: 12.3% in English, 12,3 % in French. */
export const percentIn = (lang: Lang, x: number) =>
  lang === "fr" ? `${(x * 100).toFixed(1).replace(".", ",")} %` : `${(x * 100).toFixed(1)}%`;

const TRANSLATED_GROUPS = new Set(["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]);

/** A group's name in the reader's language (the 28 GoEmotions labels keep the dataset's names). */
export const emotionName = (lang: Lang, name: string, form: "" | ".expressed" = "") =>
  TRANSLATED_GROUPS.has(name) ? t(lang, `emotion.${name}${form}` as MessageKey) : name;

export function suppressedIn(lang: Lang, report: Report, s: Suppressed): string {
  if (s.reason === primaryReason(report.k)) return t(lang, "report.suppressed.k", { k: report.k });
  if (s.reason === COMPLEMENTARY_REASON) return t(lang, "report.suppressed.complementary");
  return t(lang, "report.suppressed.other", { reason: s.reason });
}
