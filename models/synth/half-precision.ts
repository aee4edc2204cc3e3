// The fp16 variant (onnx/*_fp16.onnx) of a generated fp32 graph, as transformers.js' scripts/quantize.py
// makes it: float16.convert_float_to_float16(model, keep_io_types=True, op_block_list=DEFAULT_OP_BLOCK_LIST).
// - every float32 initializer becomes float16, after clamping as convert_np_to_float16 does: magnitudes
//   in (0, 1e-7) become 1e-7 and above 1e4 become 1e4 (so the causal mask's -1e9 becomes -1e4);
// - the graph keeps float32 inputs and outputs (keep_io_types): a Cast to float16 follows each float
//   input (named <input>_fp16), and each float output is renamed <output>_fp16 inside the graph with a
//   Cast back to float32 under the original name; nodes that read the output read the float16 one;
// - everything between runs in float16. (onnxruntime's CPU provider, which the WASM build is, casts
//   around the operators it has no float16 kernel for.)
// The blocked operators (Cast, Resize, Min, Max, TopK, …) keep float32 around them; the generated graphs
// use none of them on float values, which the conversion checks instead of handling.

import { attr } from './graph-builder.ts';
import { floatPieces } from './float-pieces.ts';
import { DataType, type GraphSpec, type InitializerSpec, type NodeSpec } from './onnx.ts';

const MIN_POSITIVE = 1e-7;
const MAX_FINITE = 1e4;

const float32View = new Float32Array(1);
const bitsView = new Uint32Array(float32View.buffer);

/** The IEEE binary16 bits nearest to a float32 value (ties to even), as numpy's float16 cast rounds. */
export function float16Bits(value: number): number {
  float32View[0] = value;
  const bits = bitsView[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // inf, NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow to infinity
  if (halfExponent <= 0) {
    // subnormal half: the implicit bit joins the mantissa, which shifts right by 14 - halfExponent
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    const halfway = 1 << (shift - 1);
    const rest = full & ((1 << shift) - 1);
    let half = full >>> shift;
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (up to infinity)
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The float32 value of binary16 bits. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** convert_np_to_float16's clamp: keeps sign and finiteness, moves tiny and huge magnitudes into range. */
export function clampForFloat16(value: number): number {
  if (value > 0 && value < MIN_POSITIVE) return MIN_POSITIVE;
  if (value < 0 && value > -MIN_POSITIVE) return -MIN_POSITIVE;
  if (value > MAX_FINITE && value < Infinity) return MAX_FINITE;
  if (value < -MAX_FINITE && value > -Infinity) return -MAX_FINITE;
  return value;
}

function halfInitializer(init: InitializerSpec): InitializerSpec {
  if (init.dataType !== DataType.FLOAT) return init;
  return {
    ...init,
    dataType: DataType.FLOAT16,
    data: {
      byteLength: init.data.byteLength / 2,
      *pieces() {
        for (const piece of floatPieces(init)) {
          const out = new Uint16Array(piece.length);
          for (let i = 0; i < piece.length; i++) out[i] = float16Bits(clampForFloat16(piece[i]));
          yield new Uint8Array(out.buffer);
        }
      },
    },
  };
}

/** float16.py's DEFAULT_OP_BLOCK_LIST entries an ONNX graph of this kind could contain. */
const BLOCKED_OPS = new Set(['Cast', 'Resize', 'Min', 'Max', 'TopK', 'CumSum', 'NonMaxSuppression', 'RoiAlign']);

export function halfPrecisionGraph(graph: GraphSpec): GraphSpec {
  for (const node of graph.nodes) {
    const to = node.attributes?.to;
    const castsToFloat = node.opType === 'Cast' && to?.kind === 'int' && to.value === DataType.FLOAT;
    if (castsToFloat || (BLOCKED_OPS.has(node.opType) && node.opType !== 'Cast')) {
      throw new Error(`${node.name}: ${node.opType} on float values is not handled by the fp16 conversion`);
    }
  }
  const floatInputs = graph.inputs.filter((input) => input.elemType === DataType.FLOAT).map((input) => input.name);
  const floatOutputs = graph.outputs.filter((output) => output.elemType === DataType.FLOAT).map((o) => o.name);
  const renamed = new Map<string, string>();
  for (const name of [...floatInputs, ...floatOutputs]) renamed.set(name, `${name}_fp16`);
  const rename = (name: string) => renamed.get(name) ?? name;

  const castNode = (input: string, output: string, name: string, to: number): NodeSpec => ({
    opType: 'Cast',
    inputs: [input],
    outputs: [output],
    name,
    attributes: { to: attr.int(to) },
  });
  const nodes: NodeSpec[] = [
    ...floatInputs.map((name) => castNode(name, rename(name), rename(name), DataType.FLOAT16)),
    ...graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map(rename), outputs: node.outputs.map(rename) })),
    ...floatOutputs.map((name, index) =>
      castNode(rename(name), name, `${rename(name)}_input_cast${index}`, DataType.FLOAT),
    ),
  ];
  return { ...graph, nodes, initializers: graph.initializers.map(halfInitializer) };
}
