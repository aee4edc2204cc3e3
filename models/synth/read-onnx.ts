// Reads a generated model back with onnx-proto (protobufjs), a decoder independent of our encoder,
// so tests check the bytes on disk rather than the generator's own view of them.

import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

export interface ReadModel {
  opsetVersion: number;
  irVersion: number;
  opTypes: string[];
  inputNames: string[];
  outputNames: string[];
  /** Float32 initializers by name. */
  weights: Map<string, FloatTensor>;
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
  for (const [index, tensor] of (graph.initializer ?? []).entries()) {
    if (tensor.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    const raw = tensor.rawData;
    if (!tensor.name || !raw) throw new Error(`${path}: graph.initializer[${index}]: expected a name and raw_data`);
    // Copy into an aligned buffer: the decoded bytes may start at any offset of the file buffer.
    const data = new Float32Array(raw.byteLength / 4);
    new Uint8Array(data.buffer).set(raw);
    weights.set(tensor.name, { dims: (tensor.dims ?? []).map(toNumber), data });
  }
  const names = (values: { name?: string | null }[] | null | undefined) => (values ?? []).map((v) => v.name ?? '');
  return {
    opsetVersion: toNumber(model.opsetImport[0]?.version ?? 0),
    irVersion: toNumber(model.irVersion),
    opTypes: [...new Set((graph.node ?? []).map((n) => n.opType ?? ''))].sort(),
    inputNames: names(graph.input),
    outputNames: names(graph.output),
    weights,
  };
}
