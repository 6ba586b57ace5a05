import { readFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { loadEmotionModel } from "../../src/emotion/model";
import { MODEL_JSON, MODELS_DIR, readModelJson } from "../../src/emotion/model-file";
import { featureStrings, featurize, fnv1a } from "../../src/emotion/tokenizer";
import { fromHalf } from "../../scripts/model/float16";
import { predictMean, type Net } from "../../scripts/model/net";

const { onnx } = onnxProto;

const SAMPLES = [
  "Thank you so much for organising this!",
  "WHY THE FUCK IS BAYLESS ISOING",
  "C'est un scandale, on se moque de nous ! 😡😡",
  "Je suis très triste… #Lubrizol @préfet https://t.co/abc",
  "sooooo happy for you :) <3",
  "𝒜 weird 𝔲𝔫𝔦𝔠𝔬𝔡𝔢 ÉCOLE naïve",
];

/**
 * The training-side networks rebuilt from the initializers stored in the shipped ONNX file:
 * each member's full table is its rows of the shared one, looked up through its `rowOf`.
 */
function membersFromOnnx(): Net[] {
  const meta = readModelJson();
  const model = onnx.ModelProto.decode(readFileSync(MODELS_DIR + meta.onnx.file));
  const init = new Map(model.graph!.initializer!.map((t) => [t.name!, t]));
  const raw = (name: string) => {
    const t = init.get(name);
    // Copy into a fresh, aligned buffer: protobuf hands back views into a shared one.
    return t ? new Uint8Array(t.rawData!).buffer : new ArrayBuffer(0);
  };
  const table = fromHalf(new Uint16Array(raw("emb16")));
  const dim = Number(init.get("emb16")!.dims![1]);
  const { buckets } = meta.tokenizer;
  const nets: Net[] = [];
  for (let k = 0; init.has(`m${k}_rowOf`); k++) {
    const rowOf = new Int32Array(raw(`m${k}_rowOf`));
    const channel = new Uint8Array(raw(`m${k}_channel8`));
    const emb = new Float32Array(rowOf.length * dim);
    rowOf.forEach((row, id) => {
      if (channel[id] !== 0) emb.set(table.subarray(row * dim, (row + 1) * dim), id * dim);
    });
    const b1 = new Float32Array(raw(`m${k}_b1`));
    const b2 = new Float32Array(raw(`m${k}_b2`));
    nets.push({
      buckets,
      words: rowOf.length - buckets,
      dim,
      hidden: b1.length,
      outputs: b2.length,
      emb,
      channel,
      w1: new Float32Array(raw(`m${k}_w1`)),
      b1,
      w2: new Float32Array(raw(`m${k}_w2`)),
      b2,
    });
  }
  return nets;
}

describe("tokenizer", () => {
  it("fast featurize() equals hashing the reference feature strings, then the vocabulary's word ids", async () => {
    const model = await loadEmotionModel();
    const cfg = model.meta.tokenizer;
    const words = readFileSync(MODELS_DIR + model.meta.vocabulary.file, "utf8").split("\n");
    const vocab = new Map(words.map((w, i) => [w, i]));
    let known = 0;
    for (const s of SAMPLES) {
      const ref = featureStrings(s, cfg, vocab).map((f) =>
        f.startsWith("v\u0001") ? cfg.buckets + vocab.get(f.slice(2))! : fnv1a(f) % cfg.buckets,
      );
      known += ref.filter((id) => id >= cfg.buckets).length;
      expect(Array.from(featurize(s, cfg, vocab))).toEqual(ref);
      expect(Array.from(model.features(s))).toEqual(ref);
    }
    expect(known).toBeGreaterThan(10);
  });

  it("folds accents and case, squeezes repeats, splits elisions", () => {
    const cfg = { buckets: 1 << 20, charMin: 3, charMax: 5 };
    expect(featureStrings("J'AI PEUR", cfg).slice(0, 3)).toEqual(["w\u0001j", "w\u0001ai", "w\u0001peur"]);
    expect(Array.from(featurize("colère", cfg))).toEqual(Array.from(featurize("COLERE", cfg)));
    expect(Array.from(featurize("nooooon", cfg))).toEqual(Array.from(featurize("noon", cfg)));
  });
});

describe("ONNX graph", () => {
  it("matches a plain TypeScript forward pass over the same weights, averaged over the members", async () => {
    const model = await loadEmotionModel();
    const nets = membersFromOnnx();
    const json = JSON.parse(readFileSync(MODELS_DIR + MODEL_JSON, "utf8")) as { architecture: { members: number } };
    expect(nets.length).toBe(json.architecture.members);
    const ids = SAMPLES.map((s) => model.features(s));
    // One batch with rows of different lengths also checks that padding does not leak in.
    const onnxProbs = await model.probabilities(ids);
    ids.forEach((x, i) => {
      const ref = predictMean(nets, x);
      for (let k = 0; k < ref.length; k++) expect(onnxProbs[i][k]).toBeCloseTo(ref[k], 5);
    });
  });
});
