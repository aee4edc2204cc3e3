// ONNX message builders over the streaming protobuf encoder. Field numbers are those of onnx.proto
// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto).

import { ProtoMessage, type LazyBytes } from './protobuf.ts';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17; // first opset with LayerNormalization

export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

const AttributeType = { FLOAT: 1, INT: 2, TENSOR: 4, INTS: 7 } as const;

/** A dimension of a graph input/output: fixed size or a named symbolic size. */
export type Dim = number | string;

export type AttributeValue =
  { kind: 'int'; value: number } | { kind: 'float'; value: number } | { kind: 'ints'; value: readonly number[] };

export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface ValueInfoSpec {
  name: string;
  elemType: DataTypeCode;
  shape: readonly Dim[];
}

/** An initializer: its payload is either small literal bytes or a lazily generated stream. */
export interface InitializerSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  data: LazyBytes;
}

export interface GraphSpec {
  name: string;
  nodes: readonly NodeSpec[];
  initializers: readonly InitializerSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
}

export interface ModelSpec {
  graph: GraphSpec;
  producerName: string;
  producerVersion: string;
  docString: string;
}

function attributeMessage(name: string, attr: AttributeValue): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  switch (attr.kind) {
    case 'int':
      m.varint(3, attr.value).varint(20, AttributeType.INT);
      break;
    case 'float':
      m.float32(2, attr.value).varint(20, AttributeType.FLOAT);
      break;
    case 'ints':
      for (const v of attr.value) m.varint(8, v);
      m.varint(20, AttributeType.INTS);
      break;
  }
  return m;
}

function nodeMessage(node: NodeSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const input of node.inputs) m.string(1, input);
  for (const output of node.outputs) m.string(2, output);
  m.string(3, node.name).string(4, node.opType);
  for (const [name, attr] of Object.entries(node.attributes ?? {})) m.message(5, attributeMessage(name, attr));
  return m;
}

function tensorMessage(init: InitializerSpec): ProtoMessage {
  const m = new ProtoMessage();
  for (const d of init.dims) m.varint(1, d);
  m.varint(2, init.dataType).string(8, init.name).lazy(9, init.data);
  return m;
}

function valueInfoMessage(info: ValueInfoSpec): ProtoMessage {
  const shape = new ProtoMessage();
  for (const dim of info.shape) {
    const d = new ProtoMessage();
    if (typeof dim === 'number') d.varint(1, dim);
    else d.string(2, dim);
    shape.message(1, d);
  }
  const tensorType = new ProtoMessage().varint(1, info.elemType).message(2, shape);
  const type = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, info.name).message(2, type);
}

export function modelMessage(spec: ModelSpec): ProtoMessage {
  const graph = new ProtoMessage();
  for (const node of spec.graph.nodes) graph.message(1, nodeMessage(node));
  graph.string(2, spec.graph.name);
  for (const init of spec.graph.initializers) graph.message(5, tensorMessage(init));
  for (const input of spec.graph.inputs) graph.message(11, valueInfoMessage(input));
  for (const output of spec.graph.outputs) graph.message(12, valueInfoMessage(output));

  const opset = new ProtoMessage().string(1, '').varint(2, ONNX_OPSET);
  return new ProtoMessage()
    .varint(1, ONNX_IR_VERSION)
    .message(8, opset)
    .string(2, spec.producerName)
    .string(3, spec.producerVersion)
    .string(6, spec.docString)
    .message(7, graph);
}

/** Literal bytes as a LazyBytes (for small constant initializers). */
export function literalBytes(bytes: Uint8Array): LazyBytes {
  return { byteLength: bytes.byteLength, pieces: () => [bytes] };
}

export function int64Bytes(values: readonly number[]): Uint8Array {
  const arr = new BigInt64Array(values.map((v) => BigInt(v)));
  return new Uint8Array(arr.buffer);
}

export function float32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}
