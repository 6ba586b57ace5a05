import { describe, expect, it } from "vitest";
import { reportFromRows } from "../../src/reports/publication/aggregate";
import { CSV_COLUMNS, csvField, reportToCsv } from "../../src/reports/publication/csv";
import { baseOptions, model, threeWeeks } from "./fixtures";

describe("csv", () => {
  it("quotes per RFC 4180", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(null)).toBe("");
    expect(csvField(2 / 3)).toBe("0.666667");
  });

  it("neutralises formula injection", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+33 6")).toBe("'+33 6");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
  });

  it("writes one row per published window × target × view and one per suppressed window", () => {
    const report = reportFromRows(threeWeeks(), model, { ...baseOptions, window: "week", title: "=cmd|' /C calc'!A0" });
    const csv = reportToCsv(report);
    const lines = csv.split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    // 2 published cells (week 1, total) × 35 targets × 2 views + 2 suppressed weeks + header + trailing "".
    expect(lines).toHaveLength(1 + 2 * 70 + 2 + 1);
    expect(lines.slice(1, -1).every((l) => l.startsWith("'=cmd|' /C calc'!A0,goemotions-test-1,acc,11,,"))).toBe(true);
    const angerByMessage = lines.find((l) => l.includes(",2025-03-03,") && l.includes(",group,anger,by_message,"))!;
    expect(angerByMessage).toContain(",12,21,group,anger,by_message,0.52381,");
    expect(angerByMessage).toMatch(/,acc,published$/);
    expect(lines.find((l) => l.includes(",2025-03-10,"))).toMatch(/,,,,,,,,,,,,fewer than 11 distinct authors$/);
  });
});
