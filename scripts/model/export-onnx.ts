import onnxProto, { type onnx as OnnxTypes } from "onnx-proto";

// onnx-proto is CommonJS; its namespace comes through the default export under ESM.
const { onnx } = onnxProto;
import { toHalf } from "./float16";
import type { Net } from "./net";

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
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
  };
}

const INT = onnx.AttributeProto.AttributeType.INT;

/**
 * The network as an ONNX graph (opset 13). Inputs: `ids` int32 [batch, len] (padded with any
 * id) and `weights` float [batch, len] (1/n for the n real ids of a row, 0 for padding). The
 * graph keeps the weights of trusted buckets, renormalises them to sum to 1 (0 when a row has
 * none), and a batched MatMul performs the mean pooling of an EmbeddingBag:
 *   pooled = wn[b,1,len] · float(Gather(emb16, ids))[b,len,dim]
 */
export function exportOnnx(net: Net, meta: { version: string; description: string }): Uint8Array {
  const nodes: OnnxTypes.INodeProto[] = [
    { opType: "Gather", input: ["trust8", IO.ids], output: ["trusted8"], attribute: [{ name: "axis", type: INT, i: 0 }] },
    { opType: "Cast", input: ["trusted8"], output: ["trusted"], attribute: [{ name: "to", type: INT, i: F32 }] },
    { opType: "Mul", input: [IO.weights, "trusted"], output: ["wt"] },
    { opType: "ReduceSum", input: ["wt", "axis1"], output: ["wsum"], attribute: [{ name: "keepdims", type: INT, i: 1 }] },
    { opType: "Max", input: ["wsum", "tiny"], output: ["wsafe"] },
    { opType: "Div", input: ["wt", "wsafe"], output: ["wn"] },
    { opType: "Gather", input: ["emb16", IO.ids], output: ["rows16"], attribute: [{ name: "axis", type: INT, i: 0 }] },
    { opType: "Cast", input: ["rows16"], output: ["rows"], attribute: [{ name: "to", type: INT, i: F32 }] },
    { opType: "Unsqueeze", input: ["wn", "axis1"], output: ["w3"] },
    { opType: "MatMul", input: ["w3", "rows"], output: ["pooled3"] },
    { opType: "Squeeze", input: ["pooled3", "axis1"], output: ["pooled"] },
  ];
  const init = [
    tensor("emb16", F16, [net.buckets, net.dim], toHalf(net.emb)),
    tensor("trust8", U8, [net.buckets], net.trust),
    tensor("axis1", I64, [1], new BigInt64Array([1n])),
    tensor("tiny", F32, [1], new Float32Array([1e-30])),
    tensor("w2", F32, [net.hidden || net.dim, net.outputs], net.w2),
    tensor("b2", F32, [net.outputs], net.b2),
  ];
  let feat = "pooled";
  if (net.hidden) {
    init.push(tensor("w1", F32, [net.dim, net.hidden], net.w1), tensor("b1", F32, [net.hidden], net.b1));
    nodes.push(
      { opType: "MatMul", input: ["pooled", "w1"], output: ["z1"] },
      { opType: "Add", input: ["z1", "b1"], output: ["a1"] },
      { opType: "Relu", input: ["a1"], output: ["hid"] },
    );
    feat = "hid";
  }
  nodes.push(
    { opType: "MatMul", input: [feat, "w2"], output: ["z2"] },
    { opType: "Add", input: ["z2", "b2"], output: ["logits"] },
    { opType: "Sigmoid", input: ["logits"], output: [IO.probs] },
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
      output: [valueInfo(IO.probs, F32, ["batch", net.outputs])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
