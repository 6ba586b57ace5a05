import { describe, expect, it } from "vitest";
import { clampPublished } from "../../src/domain/notes";
import { assertK, COMPLEMENTARY_REASON, suppressCells } from "../../src/reports/publication/privacy";

type Cell = { id: string; authors: number; authorIds: string[] };
const cell = (id: string, n: number): Cell => ({
  id,
  authors: n,
  authorIds: Array.from({ length: n }, (_, i) => `${id}-${i}`),
});
const withTotal = (parts: Cell[]) => [
  ...parts,
  { id: "total", authors: new Set(parts.flatMap((c) => c.authorIds)).size, authorIds: [] },
];
const relation = (parts: Cell[]) => [{ total: "total", parts: parts.map((c) => c.id) }];
/** Author ids are only asked for cells below k (the database reads no more than those). */
const idsOf =
  (cells: Cell[], k = 11) =>
  (id: string) => {
    const c = cells.find((x) => x.id === id)!;
    if (c.authors >= k) throw new Error(`author ids of ${id} (≥ k authors) should not be needed`);
    return c.authorIds;
  };
const suppress = (cells: Cell[], relations: ReturnType<typeof relation>, k = 11) =>
  suppressCells(cells, relations, k, idsOf(cells, k));

describe("k", () => {
  it("defaults to and never goes below 11", () => {
    expect(assertK(11)).toBe(11);
    expect(assertK(25)).toBe(25);
    expect(() => assertK(10)).toThrow(/k must be an integer ≥ 11/);
    expect(() => assertK(11.5)).toThrow(/k must be/);
  });
});

describe("suppression", () => {
  it("primary: cells with fewer than k distinct authors", () => {
    const s = suppress([cell("a", 10), cell("b", 11)], []);
    expect([...s.keys()]).toEqual(["a"]);
    expect(s.get("a")!.reason).toBe("fewer than 11 distinct authors");
  });

  it("complementary: a lone suppressed part of a published total drags the smallest other part with it", () => {
    const parts = [cell("w1", 30), cell("w2", 4), cell("w3", 12), cell("w4", 20)];
    const s = suppress(withTotal(parts), relation(parts));
    expect([...s.keys()].sort()).toEqual(["w2", "w3"]);
    expect(s.get("w3")!.reason).toBe(COMPLEMENTARY_REASON);
  });

  it("two suppressed parts whose union is still below k are not enough", () => {
    const parts = [cell("w1", 3), cell("w2", 4), cell("w3", 15), cell("w4", 16)];
    const s = suppress(withTotal(parts), relation(parts));
    expect([...s.keys()].sort()).toEqual(["w1", "w2", "w3"]);
  });

  it("suppressed parts that together cover k authors need no complement", () => {
    const parts = [cell("w1", 6), cell("w2", 7), cell("w3", 15)];
    const s = suppress(withTotal(parts), relation(parts));
    expect([...s.keys()].sort()).toEqual(["w1", "w2"]);
  });

  it("counts distinct authors of a union: the same 6 authors in two suppressed parts are not 12", () => {
    const shared = Array.from({ length: 6 }, (_, i) => `s${i}`);
    const parts: Cell[] = [
      { id: "w1", authors: 6, authorIds: shared },
      { id: "w2", authors: 6, authorIds: shared },
      cell("w3", 15),
    ];
    const s = suppress(withTotal(parts), relation(parts));
    expect([...s.keys()].sort()).toEqual(["w1", "w2", "w3"]);
  });

  it("suppresses the total when no part is left to suppress", () => {
    // A total published over a single part (e.g. a one-window range) reveals that part.
    const parts = [cell("w1", 5)];
    const s = suppress([parts[0], { id: "total", authors: 25, authorIds: [] }], relation(parts));
    expect(s.get("total")?.reason).toBe(COMPLEMENTARY_REASON);
  });
});

describe("cells that are never published", () => {
  it("a small difference no report shows (notes outside campaigns) makes the smallest published part give way", () => {
    // community = campaign A + campaign B + rest; rest has 3 authors and is never published.
    const a = cell("A", 20),
      b = cell("B", 14),
      rest = cell("rest", 3);
    const community = { id: "C", authors: 37, authorIds: [] };
    const cells = [a, b, rest, community];
    const s = suppressCells(cells, [{ total: "C", parts: ["A", "B", "rest"] }], 11, idsOf(cells), new Set(["rest"]));
    expect(s.get("B")?.reason).toBe(COMPLEMENTARY_REASON);
    expect(s.has("A")).toBe(false);
    expect(s.has("C")).toBe(false);
  });

  it("a large one needs nothing more", () => {
    const a = cell("A", 20),
      rest = cell("rest", 12);
    const cells = [a, rest, { id: "C", authors: 32, authorIds: [] }];
    const s = suppressCells(cells, [{ total: "C", parts: ["A", "rest"] }], 11, () => [], new Set(["rest"]));
    expect([...s.keys()]).toEqual(["rest"]);
  });
});

describe("published time", () => {
  it("is kept within [received − 10 min, received]: no back-dating into closed windows, nothing from the future", () => {
    const received = new Date("2026-03-10T12:00:00Z");
    expect(clampPublished(new Date("2026-03-01T00:00:00Z"), received).toISOString()).toBe("2026-03-10T11:50:00.000Z");
    expect(clampPublished(new Date("2026-03-11T00:00:00Z"), received).toISOString()).toBe("2026-03-10T12:00:00.000Z");
    expect(clampPublished(new Date("2026-03-10T11:55:00Z"), received).toISOString()).toBe("2026-03-10T11:55:00.000Z");
    expect(clampPublished(new Date("not a date"), received).toISOString()).toBe("2026-03-10T12:00:00.000Z");
  });
});
