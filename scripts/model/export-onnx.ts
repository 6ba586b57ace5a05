import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";

// onnx-proto is CommonJS; its namespace comes through the default export under ESM.
const { onnx } = onnxProto;
import { toHalf } from "./float16";
import { HASHED, POOLS, WORD, type Net } from "./net";

/** Graph input/output names, shared with src/emotion/model.ts through the model JSON. */
export const IO = { ids: "ids", weights: "weights", probs: "probs" } as const;

const F32 = onnx.TensorProto.DataType.FLOAT;
const F16 = onnx.TensorProto.DataType.FLOAT16;
const I64 = onnx.TensorProto.DataType.INT64;
const I32 = onnx.TensorProto.DataType.INT32;
const U8 = onnx.TensorProto.DataType.UINT8;

function bytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function tensor(name: string, dataType: number, dims: number[], data: ArrayBufferView): OnnxTypes.ITensorProto {
  return { name, dataType, dims, rawData: bytes(data) };
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

const INT = onnx.AttributeProto.AttributeType.INT;

/** Per-id weights of one channel, renormalised to sum to 1 per row (0 when a row has none). */
function channelWeights(mask: string, out: string): OnnxTypes.INodeProto[] {
  return [
    { opType: "Mul", input: [IO.weights, mask], output: [`${out}_wt`] },
    {
      opType: "ReduceSum",
      input: [`${out}_wt`, "axis1"],
      output: [`${out}_sum`],
      attribute: [{ name: "keepdims", type: INT, i: 1 }],
    },
    { opType: "Max", input: [`${out}_sum`, "tiny"], output: [`${out}_safe`] },
    { opType: "Div", input: [`${out}_wt`, `${out}_safe`], output: [`${out}_wn`] },
    { opType: "Unsqueeze", input: [`${out}_wn`, "axis1"], output: [out] },
  ];
}

/**
 * One member's rows in the shared table: a word id keeps its word row, a trusted bucket
 * gets its own row after `offset`, an ignored bucket row 0 (its weight is 0 anyway).
 */
function rowMap(net: Net, offset: number): { rowOf: Int32Array; rows: number[] } {
  const rowOf = new Int32Array(net.buckets + net.words);
  const rows: number[] = [];
  for (let id = 0; id < net.buckets + net.words; id++) {
    if (net.channel[id] === WORD) rowOf[id] = id - net.buckets;
    else if (net.channel[id] === HASHED) (rowOf[id] = offset + rows.length), rows.push(id);
  }
  return { rowOf, rows };
}

/** The nodes and weights of member k, from `ids`/`weights` to its probabilities `m{k}_probs`. */
function memberGraph(
  net: Net,
  k: number,
  rowOf: Int32Array,
): { nodes: OnnxTypes.INodeProto[]; init: OnnxTypes.ITensorProto[] } {
  const p = (name: string) => `m${k}_${name}`;
  const pooledDim = POOLS * net.dim;
  const nodes: OnnxTypes.INodeProto[] = [
    {
      opType: "Gather",
      input: [p("channel8"), IO.ids],
      output: [p("chan8")],
      attribute: [{ name: "axis", type: INT, i: 0 }],
    },
    { opType: "Cast", input: [p("chan8")], output: [p("chan")], attribute: [{ name: "to", type: INT, i: F32 }] },
    { opType: "Sub", input: ["two", p("chan")], output: [p("two_minus_c")] },
    { opType: "Mul", input: [p("chan"), p("two_minus_c")], output: [p("hashed_mask")] },
    { opType: "Sub", input: [p("chan"), "one"], output: [p("c_minus_one")] },
    { opType: "Mul", input: [p("chan"), p("c_minus_one")], output: [p("c_c1")] },
    { opType: "Mul", input: [p("c_c1"), "half"], output: [p("word_mask")] },
    ...channelWeights(p("hashed_mask"), p("wh")),
    ...channelWeights(p("word_mask"), p("ww")),
    { opType: "Concat", input: [p("wh"), p("ww")], output: [p("w3")], attribute: [{ name: "axis", type: INT, i: 1 }] },
    {
      opType: "Gather",
      input: [p("rowOf"), IO.ids],
      output: [p("row")],
      attribute: [{ name: "axis", type: INT, i: 0 }],
    },
    {
      opType: "Gather",
      input: ["emb16", p("row")],
      output: [p("rows16")],
      attribute: [{ name: "axis", type: INT, i: 0 }],
    },
    { opType: "Cast", input: [p("rows16")], output: [p("rows")], attribute: [{ name: "to", type: INT, i: F32 }] },
    { opType: "MatMul", input: [p("w3"), p("rows")], output: [p("pooled3")] },
    { opType: "Flatten", input: [p("pooled3")], output: [p("pooled")], attribute: [{ name: "axis", type: INT, i: 1 }] },
  ];
  const init = [
    tensor(p("channel8"), U8, [net.buckets + net.words], net.channel),
    tensor(p("rowOf"), I32, [net.buckets + net.words], rowOf),
    tensor(p("w2"), F32, [net.hidden || pooledDim, net.outputs], net.w2),
    tensor(p("b2"), F32, [net.outputs], net.b2),
  ];
  let feat = p("pooled");
  if (net.hidden) {
    init.push(tensor(p("w1"), F32, [pooledDim, net.hidden], net.w1), tensor(p("b1"), F32, [net.hidden], net.b1));
    nodes.push(
      { opType: "MatMul", input: [p("pooled"), p("w1")], output: [p("z1")] },
      { opType: "Add", input: [p("z1"), p("b1")], output: [p("a1")] },
      { opType: "Relu", input: [p("a1")], output: [p("hid")] },
    );
    feat = p("hid");
  }
  nodes.push(
    { opType: "MatMul", input: [feat, p("w2")], output: [p("z2")] },
    { opType: "Add", input: [p("z2"), p("b2")], output: [p("logits")] },
    { opType: "Sigmoid", input: [p("logits")], output: [p("probs")] },
  );
  return { nodes, init };
}

/**
 * The ensemble as an ONNX graph (opset 13). Inputs: `ids` int32 [batch, len] (padded with any
 * id) and `weights` float [batch, len] (1/n for the n real ids of a row, 0 for padding).
 * Output `probs`: the mean of the members' probabilities. The members share one float16
 * table: the frozen word vectors, then each member's trusted bucket rows (the untrusted
 * buckets, most of the hash space, are not stored). In each member, an id's channel c
 * (0 ignored, 1 hashed, 2 word) gives two masks, c·(2−c) and c·(c−1)/2; each channel's
 * weights are renormalised, and one batched MatMul pools both channels as an EmbeddingBag
 * would:
 *   pooled = flatten([wh; ww][b,2,len] · float(Gather(emb16, Gather(rowOf, ids)))[b,len,dim])
 */
export function exportOnnx(members: Net[], meta: { version: string; description: string }): Uint8Array {
  const [first] = members;
  const { buckets, words, dim, outputs } = first;
  const wordRows = first.emb.subarray(buckets * dim);
  const tables: Float32Array[] = [wordRows];
  const nodes: OnnxTypes.INodeProto[] = [];
  const init: OnnxTypes.ITensorProto[] = [];
  let offset = words;
  members.forEach((net, k) => {
    if (net.buckets !== buckets || net.words !== words || net.dim !== dim)
      throw new Error("ensemble members differ in shape");
    const { rowOf, rows } = rowMap(net, offset);
    const own = new Float32Array(rows.length * dim);
    rows.forEach((id, r) => {
      own.set(net.emb.subarray(id * dim, (id + 1) * dim), r * dim);
    });
    tables.push(own);
    offset += rows.length;
    const g = memberGraph(net, k, rowOf);
    nodes.push(...g.nodes);
    init.push(...g.init);
  });
  const emb = new Float32Array(offset * dim);
  let at = 0;
  for (const t of tables) emb.set(t, at), (at += t.length);
  nodes.push(
    { opType: "Sum", input: members.map((_, k) => `m${k}_probs`), output: ["probs_sum"] },
    { opType: "Mul", input: ["probs_sum", "inv_members"], output: [IO.probs] },
  );
  init.push(
    tensor("emb16", F16, [offset, dim], toHalf(emb)),
    tensor("axis1", I64, [1], new BigInt64Array([1n])),
    tensor("tiny", F32, [1], new Float32Array([1e-30])),
    tensor("one", F32, [1], new Float32Array([1])),
    tensor("two", F32, [1], new Float32Array([2])),
    tensor("half", F32, [1], new Float32Array([0.5])),
    tensor("inv_members", F32, [1], new Float32Array([1 / members.length])),
  );
  const model: OnnxTypes.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "ensemble scripts/model",
    modelVersion: 1,
    docString: meta.description,
    metadataProps: [{ key: "version", value: meta.version }],
    graph: {
      name: "emotion",
      node: nodes.map((n, i) => ({ ...n, name: `${n.opType}_${i}` })),
      initializer: init,
      input: [valueInfo(IO.ids, I32, ["batch", "len"]), valueInfo(IO.weights, F32, ["batch", "len"])],
      output: [valueInfo(IO.probs, F32, ["batch", outputs])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
