// Report → CSV (RFC 4180: CRLF line ends, fields with quotes, commas or line breaks are quoted
// and quotes doubled). Cells starting with = + - @ (or tab / CR) are prefixed with ' so that a
// spreadsheet never evaluates them as formulas (OWASP "CSV injection"): titles are user input.

import type { Estimate } from "../statistics/estimators";
import { isSuppressed, type Suppressed } from "./privacy";
import type { Report, TargetEstimates, ViewEstimates, WindowReport } from "./aggregate";

export const CSV_COLUMNS = [
  "title",
  "model_version",
  "estimator",
  "k",
  "epsilon",
  "window",
  "start",
  "end",
  "authors",
  "notes",
  "target_kind",
  "target",
  "view",
  "cc",
  "cc_low",
  "cc_high",
  "adjusted",
  "adjusted_low",
  "adjusted_high",
  "adjusted_method",
  "status",
] as const;

type Cell = string | number | null;

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(Number(value.toFixed(6))) : value;
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const estimateCells = (e: Estimate) => [e.estimate, e.low, e.high];

function windowRows(report: Report, w: WindowReport): Cell[][] {
  const head: Cell[] = [
    report.title,
    report.modelVersion,
    report.estimator,
    report.k,
    report.noise?.epsilon ?? null,
    w.key,
    w.start,
    w.end,
  ];
  const blank = (n: number) => new Array<Cell>(n).fill(null);
  if (w.suppressed) return [[...head, ...blank(12), w.reason]];
  const notes = isSuppressed(w.notes) ? null : w.notes;
  const rows: Cell[][] = [];
  const sections: ["group" | "label", Record<string, TargetEstimates>][] = [
    ["group", w.groups],
    ["label", w.labels],
  ];
  for (const [kind, section] of sections) {
    for (const [name, target] of Object.entries(section)) {
      const views: ["by_message" | "by_person", ViewEstimates | Suppressed][] = [
        ["by_message", target.byMessage],
        ["by_person", target.byPerson],
      ];
      for (const [view, v] of views) {
        const prefix = [...head, w.authors, notes, kind, name, view];
        rows.push(
          isSuppressed(v)
            ? [...prefix, ...blank(7), v.reason]
            : [...prefix, ...estimateCells(v.cc), ...estimateCells(v.adjusted), v.adjusted.method, "published"],
        );
      }
    }
  }
  return rows;
}

export function reportToCsv(report: Report): string {
  const windows = report.total ? [...report.windows, report.total] : report.windows;
  const rows: Cell[][] = [[...CSV_COLUMNS], ...windows.flatMap((w) => windowRows(report, w))];
  return `${rows.map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}
