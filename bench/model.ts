/**
 * npm run bench:model — throughput and latency of the emotion model on one core, tokenization
 * included (intraOpNumThreads is 1 in the runtime). Prints figures; not a test.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { loadEmotionModel, MICRO_BATCH } from "../src/emotion";

// Typical short posts of both languages; numbers vary the text so no cache can help.
const POSTS = [
  "Thank you so much for organising this! See you all on Saturday",
  "C'est un scandale, on se moque de nous ! Personne ne nous a prévenus de rien.",
  "J'ai peur pour la santé de mes enfants, l'odeur est partout dans le quartier",
  "I can't believe they cancelled the meeting again without telling anyone.",
  "Super nouvelle pour le collectif 🎉 merci à toutes et à tous",
  "lol that's the funniest thing I've read all week",
  "Je ne comprends pas pourquoi la mairie refuse de répondre à nos questions ?",
  "So sad to hear about the closure of the library, it meant a lot to us.",
  '<p>Rendez-vous demain à 18h devant la préfecture <a href="https://example.org">#mobilisation</a></p>',
  "@alice@example.social well that was unexpected, didn't see that coming",
];

const post = (i: number) => `${POSTS[i % POSTS.length]} ${i}`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const model = await loadEmotionModel();
  const loadMs = performance.now() - t0;

  const total = 100_000;
  const inputs = Array.from({ length: total }, (_, i) => ({ text: post(i) }));
  await model.classify(inputs.slice(0, 2 * MICRO_BATCH)); // warm-up
  const t1 = performance.now();
  for (let s = 0; s < total; s += MICRO_BATCH) await model.classify(inputs.slice(s, s + MICRO_BATCH));
  const batchSecs = (performance.now() - t1) / 1000;

  const t2 = performance.now();
  for (const { text } of inputs) model.features(text);
  const tokSecs = (performance.now() - t2) / 1000;

  const single: number[] = [];
  for (let i = 0; i < 200; i++) await model.classify([{ text: post(i) }]);
  for (let i = 0; i < 5000; i++) {
    const s = performance.now();
    await model.classify([{ text: post(i) }]);
    single.push(performance.now() - s);
  }
  single.sort((a, b) => a - b);

  console.log(`emotion model ${model.version}`);
  console.log(
    `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} logical cores, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}, ${os.platform()} ${os.arch()}`,
  );
  console.log(`load: ${loadMs.toFixed(0)} ms (read + SHA-256 check + ONNX session)`);
  console.log(
    `batched (${MICRO_BATCH} per batch, ${total} notes, tokenization included, 1 thread): ${Math.round(total / batchSecs)} notes/s`,
  );
  console.log(
    `  of which tokenization alone: ${Math.round(total / tokSecs)} notes/s (${((tokSecs / batchSecs) * 100).toFixed(0)}% of the batched time)`,
  );
  console.log(
    `single note (5000 calls, tokenization included): p50 ${(quantile(single, 0.5) * 1000).toFixed(0)} µs, p99 ${(quantile(single, 0.99) * 1000).toFixed(0)} µs, max ${(single[single.length - 1] * 1000).toFixed(0)} µs`,
  );
}

await main();
