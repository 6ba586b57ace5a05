import { readFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { loadEmotionModel } from "../../src/emotion/model";
import { MODELS_DIR, readModelJson } from "../../src/emotion/model-file";
import { featureStrings, featurize, fnv1a } from "../../src/emotion/tokenizer";
import { fromHalf } from "../../scripts/model/float16";
import { predict, type Net } from "../../scripts/model/net";

const { onnx } = onnxProto;

const SAMPLES = [
  "Thank you so much for organising this!",
  "WHY THE FUCK IS BAYLESS ISOING",
  "C'est un scandale, on se moque de nous ! 😡😡",
  "Je suis très triste… #Lubrizol @préfet https://t.co/abc",
  "sooooo happy for you :) <3",
  "𝒜 weird 𝔲𝔫𝔦𝔠𝔬𝔡𝔢 ÉCOLE naïve",
];

/** The training-side network rebuilt from the initializers stored in the shipped ONNX file. */
function netFromOnnx(): Net {
  const meta = readModelJson();
  const model = onnx.ModelProto.decode(readFileSync(MODELS_DIR + meta.onnx.file));
  const init = new Map(model.graph!.initializer!.map((t) => [t.name!, t]));
  const raw = (name: string) => {
    const t = init.get(name);
    // Copy into a fresh, aligned buffer: protobuf hands back views into a shared one.
    return t ? new Uint8Array(t.rawData!).buffer : new ArrayBuffer(0);
  };
  const [buckets, dim] = init.get("emb16")!.dims!.map(Number);
  const b2 = new Float32Array(raw("b2"));
  const b1 = new Float32Array(raw("b1"));
  return { buckets, dim, hidden: b1.length, outputs: b2.length, emb: fromHalf(new Uint16Array(raw("emb16"))), trust: new Uint8Array(raw("trust8")), w1: new Float32Array(raw("w1")), b1, w2: new Float32Array(raw("w2")), b2 };
}

describe("tokenizer", () => {
  it("fast featurize() equals hashing the reference feature strings", () => {
    const cfg = readModelJson().tokenizer;
    for (const s of SAMPLES) {
      const ref = featureStrings(s, cfg).map((f) => fnv1a(f) % cfg.buckets);
      expect(Array.from(featurize(s, cfg))).toEqual(ref);
    }
  });

  it("folds accents and case, squeezes repeats, splits elisions", () => {
    const cfg = { buckets: 1 << 20, charMin: 3, charMax: 5 };
    expect(featureStrings("J'AI PEUR", cfg).slice(0, 3)).toEqual(["w\u0001j", "w\u0001ai", "w\u0001peur"]);
    expect(Array.from(featurize("colère", cfg))).toEqual(Array.from(featurize("COLERE", cfg)));
    expect(Array.from(featurize("nooooon", cfg))).toEqual(Array.from(featurize("noon", cfg)));
  });
});

describe("ONNX graph", () => {
  it("matches a plain TypeScript forward pass over the same weights", async () => {
    const model = await loadEmotionModel();
    const net = netFromOnnx();
    const cfg = readModelJson().tokenizer;
    const ids = SAMPLES.map((s) => featurize(s, cfg));
    // One batch with rows of different lengths also checks that padding does not leak in.
    const onnxProbs = await model.probabilities(ids);
    ids.forEach((x, i) => {
      const ref = predict(net, x);
      for (let k = 0; k < ref.length; k++) expect(onnxProbs[i][k]).toBeCloseTo(ref[k], 5);
    });
  });
});
