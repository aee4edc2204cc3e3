// Reads a generated model back with onnx-proto (protobufjs), a decoder independent of our encoder,
// so tests check the bytes on disk rather than the generator's own view of them.

import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/** Any initializer: its ONNX data type code (onnx.ts DataType), dims and raw little-endian bytes. */
export interface RawTensor {
  dataType: number;
  dims: number[];
  raw: Uint8Array;
}

export interface ReadNode {
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface ReadModel {
  opsetVersion: number;
  irVersion: number;
  opTypes: string[];
  nodes: ReadNode[];
  inputNames: string[];
  outputNames: string[];
  /** Element type codes of the graph inputs and outputs, in order. */
  inputTypes: number[];
  outputTypes: number[];
  /** Float32 initializers by name. */
  weights: Map<string, FloatTensor>;
  /** Every initializer by name. */
  tensors: Map<string, RawTensor>;
}

/** protobufjs yields int64 as number or Long; both print as decimal. */
function toNumber(value: number | { toString(): string }): number {
  return typeof value === 'number' ? value : Number(value.toString());
}

export function readOnnxModel(path: string): ReadModel {
  const model = onnx.ModelProto.decode(readFileSync(path));
  const graph = model.graph;
  if (!graph) throw new Error(`${path}: no graph`);
  const weights = new Map<string, FloatTensor>();
  const tensors = new Map<string, RawTensor>();
  for (const [index, tensor] of (graph.initializer ?? []).entries()) {
    const raw = tensor.rawData;
    if (!tensor.name || !raw) throw new Error(`${path}: graph.initializer[${index}]: expected a name and raw_data`);
    tensors.set(tensor.name, { dataType: tensor.dataType ?? 0, dims: (tensor.dims ?? []).map(toNumber), raw });
    if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    // Copy into an aligned buffer: the decoded bytes may start at any offset of the file buffer.
    const data = new Float32Array(raw.byteLength / 4);
    new Uint8Array(data.buffer).set(raw);
    weights.set(tensor.name, { dims: (tensor.dims ?? []).map(toNumber), data });
  }
  const names = (values: { name?: string | null }[] | null | undefined) => (values ?? []).map((v) => v.name ?? '');
  const elemTypes = (
    values: { type?: { tensorType?: { elemType?: number | null } | null } | null }[] | null | undefined,
  ) => (values ?? []).map((v) => v.type?.tensorType?.elemType ?? 0);
  const nodes = (graph.node ?? []).map((n) => ({
    opType: n.opType ?? '',
    inputs: n.input ?? [],
    outputs: n.output ?? [],
  }));
  return {
    opsetVersion: toNumber(model.opsetImport[0]?.version ?? 0),
    irVersion: toNumber(model.irVersion),
    opTypes: [...new Set(nodes.map((n) => n.opType))].sort(),
    nodes,
    inputNames: names(graph.input),
    outputNames: names(graph.output),
    inputTypes: elemTypes(graph.input),
    outputTypes: elemTypes(graph.output),
    weights,
    tensors,
  };
}
