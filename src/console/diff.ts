/** One line of a line diff: kept, removed from the old text, or added in the new one. */
export interface DiffLine {
  op: "same" | "del" | "ins";
  text: string;
}

/**
 * Line diff by longest common subsequence (rules are short: a few hundred lines at most, so
 * the quadratic table is small). Shown before new rules are saved, so a steward sees exactly
 * what the public record will say changed.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: "same", text: a[i] });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j]))
      out.push({ op: "ins", text: b[j++] });
    else out.push({ op: "del", text: a[i++] });
  }
  return out;
}
