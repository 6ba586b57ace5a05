import { activations, createNet, readIds, trainStep, trainer, type Net } from "./net";
import { mulberry32, shuffleInPlace } from "./prng";
import { progressBar } from "./progress";

export interface Encoded {
  ids: Uint32Array;
  y: Uint8Array;
}

export interface FitOptions {
  buckets: number;
  dim: number;
  hidden: number;
  epochs: number;
  lr: number;
  posWeight: number;
  /** Probability of dropping each feature occurrence in a training step. */
  dropout: number;
  /** A bucket is trusted (read by the network) when it occurs at least this often in `train`. */
  minCount: number;
  seed: number;
}

function bucketTrust(train: Encoded[], buckets: number, minCount: number): Uint8Array {
  const counts = new Uint32Array(buckets);
  for (const e of train) for (const id of e.ids) if (id < buckets) counts[id]++;
  return Uint8Array.from(counts, (c) => (c >= minCount ? 1 : 0));
}

/**
 * Feature dropout: the model must not lean on any single n-gram, which is what happens when
 * a French post shares only some of its character n-grams with the training vocabulary.
 * Keeps at least one feature.
 */
function dropFeatures(ids: Uint32Array, rate: number, rand: () => number, scratch: Uint32Array): Uint32Array {
  if (rate === 0 || ids.length < 2) return ids;
  let n = 0;
  for (let k = 0; k < ids.length; k++) if (rand() >= rate) scratch[n++] = ids[k];
  if (n === 0) scratch[n++] = ids[Math.floor(rand() * ids.length)];
  return scratch.subarray(0, n);
}

/** Adagrad, one example at a time, with a linearly decaying base rate as in fastText. */
export function fit(train: Encoded[], outputs: number, wordVectors: Float32Array, o: FitOptions): Net {
  const rand = mulberry32(o.seed);
  const priors = Array.from(
    { length: outputs },
    (_, k) => (train.reduce((s, e) => s + e.y[k], 0) + 1) / (train.length + 2),
  );
  const net = createNet(
    { buckets: o.buckets, dim: o.dim, hidden: o.hidden, outputs },
    rand,
    priors,
    bucketTrust(train, o.buckets, o.minCount),
    wordVectors,
  );
  const read = train.map((e) => readIds(net, e.ids));
  const act = activations(net);
  const t = trainer(net);
  const order = train.map((_, i) => i);
  const kept = new Uint32Array(read.reduce((m, ids) => Math.max(m, ids.length), 1));
  const total = o.epochs * train.length;
  const bar = progressBar("train", total);
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    let loss = 0;
    for (const i of order) {
      const lr = o.lr * (1 - step / total);
      loss += trainStep(net, dropFeatures(read[i], o.dropout, rand, kept), train[i].y, lr, o.posWeight, act, t);
      step++;
      if ((step & 1023) === 0) bar.tick(step, `epoch ${epoch + 1}/${o.epochs}`);
    }
    bar.tick(step, `epoch ${epoch + 1}/${o.epochs} loss ${(loss / train.length).toFixed(4)}`);
  }
  bar.end("done");
  return net;
}
