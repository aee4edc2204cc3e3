// The q8 variant (onnx/*_quantized.onnx) of a generated fp32 graph, in the operator forms the Xenova q8
// exports carry. transformers.js' conversion script (scripts/convert.py, later scripts/quantize.py) runs
// onnxruntime's dynamic quantizer — ONNXQuantizer in IntegerOps mode — with per_channel=True,
// reduce_range=True for CLIP, MatMulConstBOnly=True, and QUInt8 weights when the graph has a Conv
// (onnxruntime-web has no int8 ConvInteger kernel), else QInt8. That quantizer rewrites:
//   MatMul with a constant B → DynamicQuantizeLinear(A) + MatMulInteger + Cast + Mul(scales) + Mul;
//                              B per output column (last axis), 7-bit range (reduce_range).
//   Conv                     → DynamicQuantizeLinear(X) + ConvInteger + Cast + Mul + Mul; W per tensor.
//   Gather on a constant table → Gather on a uint8 table (per tensor, full range) + DequantizeLinear.
// MatMuls of two activations (attention scores and context) stay float, as MatMulConstBOnly leaves them.
// Scales and zero points follow onnxruntime's quant_utils (compute_scale_zp, quantize_nparray): int8
// weights symmetric (zero point 0), uint8 asymmetric, numpy's round-half-to-even.

import { attr } from './graph-builder.ts';
import { elementCount, floatPieces } from './float-pieces.ts';
import { DataType, float32Bytes, type GraphSpec, type InitializerSpec, type NodeSpec } from './onnx.ts';
import type { LazyBytes } from './protobuf.ts';

export type IntegerType = 'uint8' | 'int8';

export interface QuantRange {
  qmin: number;
  qmax: number;
}

/** onnxruntime's get_qmin_qmax_for_qType. */
export function quantRange(type: IntegerType, reduceRange: boolean, symmetric: boolean): QuantRange {
  if (type === 'uint8') return reduceRange ? { qmin: 0, qmax: 127 } : { qmin: 0, qmax: 255 };
  if (reduceRange) return { qmin: -64, qmax: 64 };
  return symmetric ? { qmin: -127, qmax: 127 } : { qmin: -128, qmax: 127 };
}

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const FLOAT32_TINY = 1.1754943508222875e-38;

/** onnxruntime's compute_scale_zp: the range always includes 0; the scale is stored as float32. */
export function scaleAndZeroPoint(
  rmin: number,
  rmax: number,
  range: QuantRange,
  symmetric: boolean,
): { scale: number; zeroPoint: number } {
  let low = Math.min(rmin, 0);
  let high = Math.max(rmax, 0);
  if (symmetric) {
    const absmax = Math.max(Math.abs(low), Math.abs(high));
    low = -absmax;
    high = absmax;
  }
  const scale = (high - low) / (range.qmax - range.qmin);
  if (scale < FLOAT32_TINY) return { scale: 1, zeroPoint: 0 };
  const zeroPoint = symmetric ? roundHalfEven((range.qmin + range.qmax) / 2) : roundHalfEven(range.qmin - low / scale);
  return { scale: Math.fround(scale), zeroPoint };
}

/** quantize_nparray: round(x / scale) in float32, plus the zero point, clipped to the range. */
export function quantizeValue(x: number, scale: number, zeroPoint: number, range: QuantRange): number {
  const q = roundHalfEven(Math.fround(x / scale)) + zeroPoint;
  return Math.min(range.qmax, Math.max(range.qmin, q));
}

interface WeightScheme {
  type: IntegerType;
  reduceRange: boolean;
  symmetric: boolean;
  /** one scale and zero point per index of the last axis, or one for the whole tensor */
  perChannel: boolean;
}

interface QuantizedValue {
  quantized: string;
  scale: string;
  zeroPoint: string;
}

/** Scales and zero points of one weight, computed in one pass over its values when first needed. */
function lazyParams(
  source: InitializerSpec,
  scheme: WeightScheme,
): () => { scales: Float32Array; zeroPoints: Int32Array } {
  let params: { scales: Float32Array; zeroPoints: Int32Array } | undefined;
  return () => {
    if (params) return params;
    const channels = scheme.perChannel ? source.dims[source.dims.length - 1] : 1;
    const mins = new Float64Array(channels).fill(Infinity);
    const maxs = new Float64Array(channels).fill(-Infinity);
    let index = 0;
    for (const piece of floatPieces(source)) {
      for (let i = 0; i < piece.length; i++, index++) {
        const channel = channels === 1 ? 0 : index % channels;
        const value = piece[i];
        if (value < mins[channel]) mins[channel] = value;
        if (value > maxs[channel]) maxs[channel] = value;
      }
    }
    const range = quantRange(scheme.type, scheme.reduceRange, scheme.symmetric);
    const scales = new Float32Array(channels);
    const zeroPoints = new Int32Array(channels);
    for (let c = 0; c < channels; c++) {
      const { scale, zeroPoint } = scaleAndZeroPoint(mins[c], maxs[c], range, scheme.symmetric);
      scales[c] = scale;
      zeroPoints[c] = zeroPoint;
    }
    params = { scales, zeroPoints };
    return params;
  };
}

function integerBytes(values: Int32Array, type: IntegerType): Uint8Array {
  return type === 'uint8' ? Uint8Array.from(values) : new Uint8Array(Int8Array.from(values).buffer);
}

/** The quantized weight, its scale(s) and zero point(s) as initializers; payloads are produced while writing. */
function quantizedInitializers(source: InitializerSpec, scheme: WeightScheme): InitializerSpec[] {
  const params = lazyParams(source, scheme);
  const dataType = scheme.type === 'uint8' ? DataType.UINT8 : DataType.INT8;
  const channels = scheme.perChannel ? source.dims[source.dims.length - 1] : 1;
  const paramDims = scheme.perChannel ? [channels] : [];
  const range = quantRange(scheme.type, scheme.reduceRange, scheme.symmetric);
  const weightBytes: LazyBytes = {
    byteLength: elementCount(source.dims),
    *pieces() {
      const { scales, zeroPoints } = params();
      let index = 0;
      for (const piece of floatPieces(source)) {
        const out = new Int32Array(piece.length);
        for (let i = 0; i < piece.length; i++, index++) {
          const channel = channels === 1 ? 0 : index % channels;
          out[i] = quantizeValue(piece[i], scales[channel], zeroPoints[channel], range);
        }
        yield integerBytes(out, scheme.type);
      }
    },
  };
  return [
    { name: `${source.name}_quantized`, dataType, dims: source.dims, data: weightBytes },
    {
      name: `${source.name}_scale`,
      dataType: DataType.FLOAT,
      dims: paramDims,
      data: { byteLength: channels * 4, pieces: () => [float32Bytes(params().scales)] },
    },
    {
      name: `${source.name}_zero_point`,
      dataType,
      dims: paramDims,
      data: { byteLength: channels, pieces: () => [integerBytes(params().zeroPoints, scheme.type)] },
    },
  ];
}

export interface QuantizeOptions {
  perChannel: boolean;
  reduceRange: boolean;
}

/** What transformers.js' conversion uses for CLIP (not in its NO_PER_CHANNEL_REDUCE_RANGE_MODELS list). */
export const XENOVA_CLIP_Q8: QuantizeOptions = { perChannel: true, reduceRange: true };

/** The weight type transformers.js picks: uint8 when the graph has a Conv (no int8 ConvInteger on the web). */
export function weightTypeFor(graph: GraphSpec): IntegerType {
  return graph.nodes.some((node) => node.opType === 'Conv') ? 'uint8' : 'int8';
}

export function quantizeGraph(graph: GraphSpec, options: QuantizeOptions = XENOVA_CLIP_Q8): GraphSpec {
  const weightType = weightTypeFor(graph);
  const weightScheme = (perChannel: boolean): WeightScheme => ({
    type: weightType,
    reduceRange: options.reduceRange,
    symmetric: weightType === 'int8',
    perChannel: perChannel && options.perChannel,
  });
  // Gather tables are quantized as activations: uint8, asymmetric, full range, per tensor.
  const tableScheme: WeightScheme = { type: 'uint8', reduceRange: false, symmetric: false, perChannel: false };

  const floatWeights = new Map(
    graph.initializers.filter((init) => init.dataType === DataType.FLOAT).map((init) => [init.name, init]),
  );
  const nodes: NodeSpec[] = [];
  const added: InitializerSpec[] = [];
  const replaced = new Set<string>();
  const quantizedWeights = new Map<string, QuantizedValue>();
  const quantizedActivations = new Map<string, QuantizedValue>();

  const weight = (name: string, scheme: WeightScheme): QuantizedValue => {
    const known = quantizedWeights.get(name);
    if (known) return known;
    const source = floatWeights.get(name);
    if (!source) throw new Error(`${name} is not a float initializer`);
    const [quantized, scale, zeroPoint] = quantizedInitializers(source, scheme);
    added.push(quantized, scale, zeroPoint);
    replaced.add(name);
    const value = { quantized: quantized.name, scale: scale.name, zeroPoint: zeroPoint.name };
    quantizedWeights.set(name, value);
    return value;
  };

  // One DynamicQuantizeLinear per activation, shared by every consumer (q, k and v read the same input).
  const activation = (name: string): QuantizedValue => {
    const known = quantizedActivations.get(name);
    if (known) return known;
    const value = { quantized: `${name}_quantized`, scale: `${name}_scale`, zeroPoint: `${name}_zero_point` };
    nodes.push({
      opType: 'DynamicQuantizeLinear',
      inputs: [name],
      outputs: [value.quantized, value.scale, value.zeroPoint],
      name: `${name}_QuantizeLinear`,
    });
    quantizedActivations.set(name, value);
    return value;
  };

  const integerOp = (node: NodeSpec, opType: 'MatMulInteger' | 'ConvInteger', perChannel: boolean) => {
    const a = activation(node.inputs[0]);
    const b = weight(node.inputs[1], weightScheme(perChannel));
    const name = `${node.name}_quant`;
    const output = node.outputs[0];
    const integerOutput = `${output}_output_quantized`;
    const castOutput = `${integerOutput}_cast_output`;
    const scales = `${name}_scales_mul:0`;
    nodes.push(
      {
        opType,
        inputs: [a.quantized, b.quantized, a.zeroPoint, b.zeroPoint],
        outputs: [integerOutput],
        name,
        ...(node.attributes ? { attributes: node.attributes } : {}),
      },
      {
        opType: 'Cast',
        inputs: [integerOutput],
        outputs: [castOutput],
        name: `${integerOutput}_cast`,
        attributes: { to: attr.int(DataType.FLOAT) },
      },
      { opType: 'Mul', inputs: [a.scale, b.scale], outputs: [scales], name: `${name}_scales_mul` },
      { opType: 'Mul', inputs: [castOutput, scales], outputs: [output], name: `${name}_output_scale_mul` },
    );
  };

  for (const node of graph.nodes) {
    if (node.opType === 'MatMul' && floatWeights.has(node.inputs[1])) {
      integerOp(node, 'MatMulInteger', true);
    } else if (node.opType === 'Conv' && floatWeights.has(node.inputs[1])) {
      if (node.inputs.length > 2) throw new Error(`${node.name}: a Conv bias is not supported`);
      integerOp(node, 'ConvInteger', false);
    } else if (node.opType === 'Gather' && floatWeights.has(node.inputs[0])) {
      const table = weight(node.inputs[0], tableScheme);
      const output = node.outputs[0];
      const gathered = `${output}_quantized`;
      nodes.push(
        { ...node, inputs: [table.quantized, ...node.inputs.slice(1)], outputs: [gathered] },
        {
          opType: 'DequantizeLinear',
          inputs: [gathered, table.scale, table.zeroPoint],
          outputs: [output],
          name: `${output}_DequantizeLinear`,
        },
      );
    } else {
      nodes.push(node);
    }
  }

  for (const node of nodes) {
    const stale = node.inputs.find((input) => replaced.has(input));
    if (stale) throw new Error(`${node.name} still reads the float weight ${stale}, which was quantized`);
  }
  return {
    ...graph,
    nodes,
    initializers: [...graph.initializers.filter((init) => !replaced.has(init.name)), ...added],
  };
}
