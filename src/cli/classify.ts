/**
 * `ensemble classify`: JSON lines {"text": "...", "lang": "fr"} on stdin → one JSON line per
 * input line on stdout, in order. Bad lines get {"error", "line"} and the stream goes on.
 * Streams: input is read in chunks and answered in micro-batches, so memory stays flat
 * whatever the input size, and stdout backpressure pauses reading.
 */
import { once } from "node:events";
import { loadEmotionModel, MICRO_BATCH, type EmotionInput, type EmotionModel } from "../emotion";

export const MAX_LINE_BYTES = 1 << 20;

const USAGE = `usage: ensemble classify < notes.jsonl
  reads JSON lines {"text": "...", "lang": "fr"} (lang optional) and writes one line per input:
  {"scores": {label: probability}, "labels": [...], "model": "<version>"}, or {"error": "...", "line": n}.
  A text with nothing of its own (empty, only links or mentions) gets "scores": null and no labels.
`;

type Parsed = { input: EmotionInput } | { error: string };

/** Raw lines of a byte stream; a line over the limit is reported, not buffered. */
async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer | "too-long"> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const push = (b: Buffer) => {
    if (tooLong) return;
    size += b.length;
    if (size > MAX_LINE_BYTES) (tooLong = true), (parts = []);
    else if (b.length) parts.push(b);
  };
  const finish = (): Buffer | "too-long" => {
    const out = tooLong ? "too-long" : Buffer.concat(parts, size);
    parts = [];
    size = 0;
    tooLong = false;
    return out;
  };
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      // A CR before the LF belongs to the line ending, not to the text.
      push(buf.subarray(start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl));
      yield finish();
      start = nl + 1;
    }
    push(buf.subarray(start));
  }
  if (size > 0 || tooLong) yield finish();
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseLine(raw: Buffer | "too-long"): Parsed {
  if (raw === "too-long") return { error: `line longer than ${MAX_LINE_BYTES} bytes` };
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { error: "line is not valid UTF-8" };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { error: `invalid JSON: ${(err as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { error: "expected a JSON object" };
  const { text: t, lang } = value as Record<string, unknown>;
  if (typeof t !== "string") return { error: 'missing string field "text"' };
  if (lang !== undefined && typeof lang !== "string") return { error: '"lang" must be a string' };
  return { input: lang === undefined ? { text: t } : { text: t, lang } };
}

async function write(out: NodeJS.WritableStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, "drain");
}

async function flush(
  model: EmotionModel,
  batch: { line: number; parsed: Parsed }[],
  out: NodeJS.WritableStream,
): Promise<void> {
  const inputs = batch.flatMap((b) => ("input" in b.parsed ? [b.parsed.input] : []));
  const results = await model.classify(inputs);
  let k = 0;
  const chunk = batch.map(({ line, parsed }) => {
    if ("error" in parsed) return JSON.stringify({ error: parsed.error, line });
    const r = results[k++];
    return JSON.stringify({ scores: r ? r.scores : null, labels: r ? r.labels : [], model: model.version });
  });
  await write(out, `${chunk.join("\n")}\n`);
}

export async function classifyCommand(
  args: string[],
  io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (args.length > 0) {
    io.stderr.write(`classify: unexpected argument ${args[0]}\n${USAGE}`);
    return 2;
  }
  let model: EmotionModel;
  try {
    model = await loadEmotionModel();
  } catch (err) {
    io.stderr.write(`classify: cannot load the emotion model: ${(err as Error).message}\n`);
    return 1;
  }
  let batch: { line: number; parsed: Parsed }[] = [];
  let n = 0;
  for await (const raw of lines(io.stdin)) {
    batch.push({ line: ++n, parsed: parseLine(raw) });
    if (batch.length === MICRO_BATCH) await flush(model, batch, io.stdout), (batch = []);
  }
  if (batch.length) await flush(model, batch, io.stdout);
  return 0;
}
