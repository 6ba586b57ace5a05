import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { classifyCommand, MAX_LINE_BYTES } from "../../src/cli/classify";
import { loadEmotionModel } from "../../src/emotion/model";

async function run(
  input: Buffer[] | Readable,
  args: string[] = [],
): Promise<{ code: number; lines: any[]; stdout: string; stderr: string }> {
  let out = "";
  let err = "";
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  const stdin = Array.isArray(input) ? Readable.from(input) : input;
  const code = await classifyCommand(args, { stdin, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) });
  const lines =
    code === 0 && !args.length
      ? out
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  return { code, lines, stdout: out, stderr: err };
}

describe("classifyCommand", () => {
  it("answers each line in order, with per-line errors for bad lines", async () => {
    const { version, labels } = await loadEmotionModel();
    const input = [
      Buffer.from(
        '{"text": "Thank you so much for organising this!"}\n{"text": "J\'ai peur pour la santé de mes enfants", "lang": "fr"}\n',
      ),
      Buffer.from('{not json\n[1,2]\n{"lang": "fr"}\n'),
      Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]),
      Buffer.from('{"text": "https://example.org"}\n{"text": ""}\n{"text": "still going'),
      Buffer.from(' fine"}'),
    ];
    const { code, lines } = await run(input);
    expect(code).toBe(0);
    expect(lines).toHaveLength(9);
    expect(lines[0].model).toBe(version);
    expect(Object.keys(lines[0].scores)).toEqual([...labels]);
    expect(lines[0].labels).toContain("gratitude");
    expect(lines[1].labels).toContain("fear");
    expect(lines[2]).toMatchObject({ line: 3, error: expect.stringMatching(/invalid JSON/) });
    expect(lines[3]).toEqual({ line: 4, error: "expected a JSON object" });
    expect(lines[4]).toEqual({ line: 5, error: 'missing string field "text"' });
    expect(lines[5]).toEqual({ line: 6, error: "line is not valid UTF-8" });
    expect(lines[6]).toEqual({ scores: null, labels: [], model: version });
    expect(lines[7]).toEqual({ scores: null, labels: [], model: version });
    expect(lines[8].scores).not.toBeNull();
  });

  it("rejects a line over 1 MB without buffering it, then goes on", async () => {
    const big = Buffer.alloc(MAX_LINE_BYTES + 10, "a");
    const input = [
      Buffer.from('{"text": "'),
      big.subarray(0, 600_000),
      big.subarray(600_000),
      Buffer.from('"}\n{"text": "merci beaucoup !"}\n'),
    ];
    const { lines } = await run(input);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ line: 1, error: `line longer than ${MAX_LINE_BYTES} bytes` });
    expect(lines[1].labels).toContain("gratitude");
  });

  it("accepts a line of just under 1 MB", async () => {
    const text = "so happy ".repeat(Math.floor((MAX_LINE_BYTES - 20) / 9));
    const { lines } = await run([Buffer.from(`${JSON.stringify({ text })}\n`)]);
    expect(lines).toHaveLength(1);
    expect(lines[0].scores).not.toBeNull();
  });

  it("streams many lines through micro-batches in order", async () => {
    const n = 3000;
    const stdin = new PassThrough();
    const done = run(stdin);
    for (let i = 0; i < n; i++)
      stdin.write(i % 1000 === 7 ? "oops\n" : `${JSON.stringify({ text: `note ${i} thank you` })}\n`);
    stdin.end();
    const { lines } = await done;
    expect(lines).toHaveLength(n);
    expect(lines.filter((l) => l.error).map((l) => l.line)).toEqual([8, 1008, 2008]);
  });

  it("prints usage for --help and refuses unknown arguments", async () => {
    const help = await run([], ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: ensemble classify/);
    const bad = await run([], ["--nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unexpected argument/);
  });
});
