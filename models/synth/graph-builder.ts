// Accumulates ONNX nodes and initializers for one graph, naming intermediate values uniquely.
// Random weights are declared here (name, shape, distribution) and generated only when written.

import os from 'node:os';
import {
  DataType,
  float32Bytes,
  int64Bytes,
  literalBytes,
  type AttributeValue,
  type GraphSpec,
  type InitializerSpec,
  type NodeSpec,
  type ValueInfoSpec,
} from './onnx.ts';
import { elementCount } from './float-pieces.ts';
import type { LazyBytes } from './protobuf.ts';
import { RandomStream } from './random.ts';

/** Floats generated per piece while streaming a weight: bounds memory for the 100 MB token embedding. */
const FLOATS_PER_PIECE = 1 << 20;

/** Distribution of a weight tensor: mean + std · N(0, 1), elementwise. */
export interface WeightInit {
  mean: number;
  std: number;
}

export interface WeightDecl {
  name: string;
  dims: readonly number[];
  init: WeightInit;
}

/** The float32 little-endian bytes of a random weight, generated piece by piece on each iteration. */
export function randomWeightBytes(seed: number, decl: WeightDecl): LazyBytes {
  const count = elementCount(decl.dims);
  return {
    byteLength: count * 4,
    *pieces() {
      const stream = new RandomStream(seed, decl.name);
      for (let start = 0; start < count; start += FLOATS_PER_PIECE) {
        const piece = new Float32Array(Math.min(FLOATS_PER_PIECE, count - start));
        stream.fillNormal(piece, decl.init.mean, decl.init.std);
        yield float32Bytes(piece);
      }
    },
  };
}

export class GraphBuilder {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: InitializerSpec[] = [];
  private readonly usedNames = new Set<string>();
  private counter = 0;

  constructor(private readonly seed: number) {
    if (os.endianness() !== 'LE') throw new Error('ONNX raw_data is little-endian; this host is big-endian');
  }

  private claim(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`duplicate graph value name: ${name}`);
    this.usedNames.add(name);
    return name;
  }

  /** A random float32 weight initializer. */
  weight(name: string, dims: readonly number[], init: WeightInit): string {
    const decl: WeightDecl = { name: this.claim(name), dims: [...dims], init };
    this.initializers.push({
      name,
      dataType: DataType.FLOAT,
      dims: decl.dims,
      data: randomWeightBytes(this.seed, decl),
    });
    return name;
  }

  constFloat(name: string, dims: readonly number[], values: Float32Array): string {
    if (values.length !== elementCount(dims))
      throw new Error(`${name}: ${values.length} values for dims [${dims.join(', ')}]`);
    this.initializers.push({
      name: this.claim(name),
      dataType: DataType.FLOAT,
      dims,
      data: literalBytes(float32Bytes(values)),
    });
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, indices). Pass dims [] for a scalar. */
  constInt64(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    this.initializers.push({
      name: this.claim(name),
      dataType: DataType.INT64,
      dims,
      data: literalBytes(int64Bytes(values)),
    });
    return name;
  }

  /** Adds a node with a single output and returns the output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes?: Record<string, AttributeValue>,
    outputName?: string,
  ): string {
    const id = this.counter++;
    const output = this.claim(outputName ?? `${opType.toLowerCase()}_${id}`);
    this.nodes.push({
      opType,
      inputs,
      outputs: [output],
      name: `${opType}_${id}`,
      ...(attributes ? { attributes } : {}),
    });
    return output;
  }

  build(name: string, inputs: readonly ValueInfoSpec[], outputs: readonly ValueInfoSpec[]): GraphSpec {
    for (const input of inputs) this.claim(input.name);
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}

export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({ kind: 'ints', value }),
};
