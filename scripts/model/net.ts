/**
 * fastText-style network with two channels: the mean of hashed-feature embeddings over
 * trusted buckets, and beside it the mean of the frozen pretrained vectors of the words the
 * text contains (scripts/model/word-vectors.ts) → (optional ReLU hidden layer) → 28
 * independent sigmoids. Weights are row-major Float32Arrays
 * in the same layout the ONNX graph uses, so export is a copy and the plain-TS forward pass
 * doubles as the reference the ONNX output is tested against.
 */
export interface Net {
  buckets: number;
  /** Rows of pretrained word vectors, after the `buckets` hashed rows. */
  words: number;
  dim: number;
  /** 0 = linear head on the pooled embedding. */
  hidden: number;
  outputs: number;
  /** [buckets + words, dim] */
  emb: Float32Array;
  /**
   * [buckets + words] the channel each row is pooled into: HASHED for a bucket seen often
   * enough in training to have a trained embedding, WORD for a word vector, IGNORED otherwise.
   * Untrusted buckets are left out of the mean: an embedding trained on a handful of
   * occurrences is noise, and a long post full of unfamiliar n-grams (a French tweet about
   * local politics) would otherwise be diluted toward the prior, i.e. read as neutral.
   */
  channel: Uint8Array;
  /** [POOLS · dim, hidden] and [hidden] (empty when hidden = 0) */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden || POOLS · dim, outputs] and [outputs] */
  w2: Float32Array;
  b2: Float32Array;
}

/** Pooled features, dim each: the mean of the hashed rows, then the mean of the word vectors. */
export const POOLS = 2;

export const IGNORED = 0;
export const HASHED = 1;
export const WORD = 2;

export function createNet(
  shape: { buckets: number; dim: number; hidden: number; outputs: number },
  rand: () => number,
  priors: number[],
  trusted: Uint8Array,
  wordVectors: Float32Array,
): Net {
  const { buckets, dim, hidden, outputs } = shape;
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const pooled = POOLS * dim;
  const inner = hidden || pooled;
  const words = wordVectors.length / dim;
  const emb = new Float32Array((buckets + words) * dim);
  emb.set(uniform(buckets * dim, 1 / dim));
  emb.set(wordVectors, buckets * dim);
  const channel = new Uint8Array(buckets + words).fill(WORD);
  for (let b = 0; b < buckets; b++) channel[b] = trusted[b] ? HASHED : IGNORED;
  return {
    ...shape,
    words,
    emb,
    channel,
    w1: uniform(pooled * hidden, Math.sqrt(6 / (pooled + hidden))),
    b1: new Float32Array(hidden),
    w2: hidden ? uniform(inner * outputs, Math.sqrt(6 / (inner + outputs))) : new Float32Array(inner * outputs),
    // Starting at the label priors saves the first epoch from learning them.
    b2: Float32Array.from(priors, (p) => Math.log(p / (1 - p))),
  };
}

/** Scratch buffers for one example, reused to keep training allocation-free. */
export interface Activations {
  pooled: Float32Array;
  hid: Float32Array;
  logits: Float32Array;
}

export function activations(net: Net): Activations {
  return {
    pooled: new Float32Array(POOLS * net.dim),
    hid: new Float32Array(net.hidden),
    logits: new Float32Array(net.outputs),
  };
}

export function forward(net: Net, ids: Uint32Array, act: Activations): void {
  const { dim, hidden, outputs, emb, channel, w1, b1, w2, b2 } = net;
  const { pooled, hid, logits } = act;
  pooled.fill(0);
  let nHashed = 0;
  let nWord = 0;
  for (let k = 0; k < ids.length; k++) {
    const c = channel[ids[k]];
    if (c === IGNORED) continue;
    const row = ids[k] * dim;
    const at = c === HASHED ? 0 : dim;
    if (c === HASHED) nHashed++;
    else nWord++;
    for (let d = 0; d < dim; d++) pooled[at + d] += emb[row + d];
  }
  const invHashed = nHashed ? 1 / nHashed : 0;
  const invWord = nWord ? 1 / nWord : 0;
  for (let d = 0; d < dim; d++) pooled[d] *= invHashed;
  for (let d = dim; d < POOLS * dim; d++) pooled[d] *= invWord;
  let feat = pooled;
  if (hidden) {
    for (let j = 0; j < hidden; j++) hid[j] = b1[j];
    for (let d = 0; d < POOLS * dim; d++) {
      const v = pooled[d];
      if (v === 0) continue;
      const base = d * hidden;
      for (let j = 0; j < hidden; j++) hid[j] += v * w1[base + j];
    }
    for (let j = 0; j < hidden; j++) if (hid[j] < 0) hid[j] = 0;
    feat = hid;
  }
  for (let o = 0; o < outputs; o++) logits[o] = b2[o];
  for (let i = 0; i < feat.length; i++) {
    const v = feat[i];
    if (v === 0) continue;
    const base = i * outputs;
    for (let o = 0; o < outputs; o++) logits[o] += v * w2[base + o];
  }
}

/** The features of a text the network reads: trusted buckets and known words. */
export function readIds(net: Net, ids: Uint32Array): Uint32Array {
  return ids.filter((id) => net.channel[id] !== IGNORED);
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function logits(net: Net, ids: Uint32Array, act = activations(net)): Float32Array {
  forward(net, ids, act);
  return act.logits.slice();
}

export function predict(net: Net, ids: Uint32Array, act = activations(net)): Float32Array {
  forward(net, ids, act);
  return act.logits.map(sigmoid);
}

/** An ensemble's probabilities: the mean of its members' (as the ONNX graph computes them). */
export function predictMean(nets: readonly Net[], ids: Uint32Array): Float32Array {
  const out = new Float32Array(nets[0].outputs);
  for (const net of nets) {
    const p = predict(net, ids);
    for (let k = 0; k < out.length; k++) out[k] += p[k];
  }
  for (let k = 0; k < out.length; k++) out[k] /= nets.length;
  return out;
}

/**
 * Backprop scratch and Adagrad state. Adagrad because the features are hashed n-grams with
 * Zipfian frequencies: rare n-grams keep a large step while frequent ones settle. The
 * embedding table gets one accumulator per row (as in row-wise Adagrad) to keep memory flat.
 */
export interface Trainer {
  gOut: Float32Array;
  gFeat: Float32Array;
  gPooled: Float32Array;
  accEmb: Float32Array;
  accW1: Float32Array;
  accB1: Float32Array;
  accW2: Float32Array;
  accB2: Float32Array;
}

export function trainer(net: Net): Trainer {
  const inner = net.hidden || POOLS * net.dim;
  const acc = (n: number) => new Float32Array(n).fill(1e-6);
  return {
    gOut: new Float32Array(net.outputs),
    gFeat: new Float32Array(inner),
    gPooled: new Float32Array(POOLS * net.dim),
    accEmb: acc(net.buckets),
    accW1: acc(net.w1.length),
    accB1: acc(net.b1.length),
    accW2: acc(net.w2.length),
    accB2: acc(net.b2.length),
  };
}

/**
 * One Adagrad step on the summed binary cross-entropy of the sigmoids (positive examples
 * weighted by posWeight, to lift the recall of rare labels). Returns the loss. `ids` must
 * hold read features only (see readIds). Word vectors stay frozen.
 */
export function trainStep(
  net: Net,
  ids: Uint32Array,
  y: Uint8Array,
  lr: number,
  posWeight: number,
  act: Activations,
  t: Trainer,
): number {
  if (ids.length === 0) return 0;
  forward(net, ids, act);
  const { dim, hidden, outputs, emb, channel, w1, b1, w2, b2 } = net;
  const { pooled, hid, logits } = act;
  const { gOut, gFeat, gPooled, accEmb, accW1, accB1, accW2, accB2 } = t;
  let loss = 0;
  for (let o = 0; o < outputs; o++) {
    const p = sigmoid(logits[o]);
    const w = y[o] ? posWeight : 1;
    loss -= w * Math.log(y[o] ? Math.max(p, 1e-7) : Math.max(1 - p, 1e-7));
    gOut[o] = w * (p - y[o]);
  }
  const feat = hidden ? hid : pooled;
  const inner = feat.length;
  for (let i = 0; i < inner; i++) {
    const base = i * outputs;
    let s = 0;
    for (let o = 0; o < outputs; o++) s += w2[base + o] * gOut[o];
    gFeat[i] = s;
    const v = feat[i];
    if (v === 0) continue;
    for (let o = 0; o < outputs; o++) {
      const gr = v * gOut[o];
      accW2[base + o] += gr * gr;
      w2[base + o] -= (lr * gr) / Math.sqrt(accW2[base + o]);
    }
  }
  for (let o = 0; o < outputs; o++) {
    accB2[o] += gOut[o] * gOut[o];
    b2[o] -= (lr * gOut[o]) / Math.sqrt(accB2[o]);
  }
  if (hidden) {
    for (let j = 0; j < hidden; j++) if (hid[j] <= 0) gFeat[j] = 0;
    for (let d = 0; d < POOLS * dim; d++) {
      const base = d * hidden;
      const v = pooled[d];
      let s = 0;
      for (let j = 0; j < hidden; j++) {
        const gj = gFeat[j];
        if (gj === 0) continue;
        s += w1[base + j] * gj;
        const gr = v * gj;
        accW1[base + j] += gr * gr;
        w1[base + j] -= (lr * gr) / Math.sqrt(accW1[base + j]);
      }
      gPooled[d] = s;
    }
    for (let j = 0; j < hidden; j++) {
      accB1[j] += gFeat[j] * gFeat[j];
      b1[j] -= (lr * gFeat[j]) / Math.sqrt(accB1[j]);
    }
  } else gPooled.set(gFeat);
  let nHashed = 0;
  for (let k = 0; k < ids.length; k++) if (channel[ids[k]] === HASHED) nHashed++;
  if (nHashed === 0) return loss;
  const inv = 1 / nHashed;
  let sq = 0;
  for (let d = 0; d < dim; d++) sq += gPooled[d] * gPooled[d];
  sq *= (inv * inv) / dim;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (channel[id] !== HASHED) continue;
    accEmb[id] += sq;
    const step = (lr * inv) / Math.sqrt(accEmb[id]);
    const row = id * dim;
    for (let d = 0; d < dim; d++) emb[row + d] -= step * gPooled[d];
  }
  return loss;
}
