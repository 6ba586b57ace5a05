/** @jsxImportSource hono/jsx */
import { describe, expect, it } from "vitest";
import { reportFromRows } from "../../src/reports/publication/aggregate";
import { GroupSharesChart, TrendChart } from "../../src/site/pages/report-charts";
import { baseOptions, model, threeWeeks, weeklySeries } from "./fixtures";

const render = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());
const hostile = `</title><script>alert("x")</script><svg onload=alert(1)>`;

describe("charts", () => {
  const report = reportFromRows(threeWeeks(), model, { ...baseOptions, window: "week", title: hostile });

  it("group shares: accessible SVG with title, desc and a text-alternative table", async () => {
    const html = await render(<GroupSharesChart report={report} window={report.windows[0]} id="g1" />);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="g1-title g1-desc"');
    expect(html).toMatch(/<title id="g1-title">.*emotion groups, week of 2025-03-03<\/title>/);
    expect(html).toMatch(/<desc id="g1-desc">Share of notes \(by message\) and of authors \(by person\).*12 authors/);
    expect(html).toContain('<table class="visually-hidden">');
    // anger, by message, ACC: (11/21 − 0.1)/0.7 = 60.5%
    expect(html).toMatch(/<th scope="row">anger<\/th><td>60\.5% \(95% CI [\d.]+%–[\d.]+%\)<\/td>/);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<svg onload");
    expect(html).toContain("&lt;/title&gt;&lt;script&gt;");
  });

  it("a suppressed window says so instead of drawing zeros", async () => {
    const html = await render(<GroupSharesChart report={report} window={report.windows[1]} id="g2" />);
    expect(html).toContain("suppressed (&lt; 11 authors)");
    expect(html).not.toContain('<rect x="110" y="44"');
    expect(html).not.toMatch(/<td>0\.0%/);
  });

  it("trend chart marks weak signals and gaps", async () => {
    const weekly = reportFromRows(weeklySeries([2, 2, 2, 2, 14]), model, {
      ...baseOptions,
      window: "week",
      title: hostile,
    });
    const html = await render(<TrendChart report={weekly} id="t1" />);
    expect(html).toContain('aria-labelledby="t1-title t1-desc"');
    expect(html).toMatch(/<desc id="t1-desc">[^<]*weak signals: anger in week of 2025-02-03/);
    expect(html.match(/<polygon /g)).toHaveLength(1);
    expect(html).toMatch(/<td>anger rising \(p = [\d.e-]+, adjusted\)<\/td>/);
    expect(html).not.toContain("<script");

    const quiet = await render(<TrendChart report={report} id="t2" />);
    expect(quiet).toContain("no weak signal flagged");
    expect(quiet).not.toContain("<polygon");
    expect(quiet).toContain("<td>suppressed (&lt; 11 authors)</td>");
  });
});
