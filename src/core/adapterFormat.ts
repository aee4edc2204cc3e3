/**
 * The `sage-adapter/1` file: a trained adapter as JSON, its two d×d matrices as base64 little-endian float32 (as the
 * bundle's vectors). Parsing checks the structure with valibot and explains the first problem in words.
 */
import * as v from 'valibot';
import { Base64Error, base64ToFloats, floatsToBase64 } from './base64';
import { errorMessage, FieldError } from './errors';
import {
  check,
  describeValue,
  finiteNumber,
  nth,
  oneOf,
  pathText,
  plainObject,
  problemSentence,
  valueAt,
  wholeNumber,
  type FieldPath,
  type PlaceNames,
} from './schemaErrors';
import { ADAPTER_FORMAT } from './adapterOptions';
import type { TrainedAdapter } from './adapterTypes';

export class AdapterError extends FieldError {
  constructor(field: string, message: string) {
    super(field, message);
    this.name = 'AdapterError';
    this.message = message;
  }
}

const NOT_AN_ADAPTER = 'this file is not a SAGE adapter';

const FIELD_NAMES: Record<string, string> = {
  format: 'format',
  variant: 'variant',
  seed: 'seed',
  epochs: 'epoch count',
  bestEpoch: 'best epoch',
  optimizer: 'optimizer',
  learningRate: 'learning rate',
  weights: 'loss weights',
  templates: 'template list',
  classes: 'class list',
  attributes: 'attribute list',
  dim: 'embedding size',
  W_v: 'image matrix W_v',
  W_t: 'text matrix W_t',
  logScale: 'log scale',
  splitSizes: 'split sizes',
  history: 'training history',
  cancelled: 'cancelled flag',
};

const ADAPTER_PLACES: PlaceNames = {
  notA: NOT_AN_ADAPTER,
  place(path: FieldPath, root: unknown): string {
    const [top, index, ...rest] = path;
    if (path.length === 0) return 'the file';
    const name = FIELD_NAMES[String(top)] ?? String(top);
    if (index === undefined) return name;
    let owner: string;
    if (top === 'history' && typeof index === 'number') owner = `epoch ${index + 1} of the training history`;
    else if (top === 'classes' && typeof index === 'number')
      owner = nth('class', index, valueAt(root, path.slice(0, 2)));
    else if (top === 'templates' && typeof index === 'number') {
      owner = nth('template', index, valueAt(root, path.slice(0, 2)));
    } else if (top === 'attributes' && typeof index === 'number') {
      owner = nth('attribute', index, valueAt(root, path.slice(0, 2)));
    } else owner = `${name}: ${String(index)}`;
    return rest.length === 0 ? owner : `${owner}: ${rest.map(String).join(' ')}`;
  },
};

/** A d×d matrix as base64 float32, checked for size and finiteness. */
function matrix(d: number) {
  return v.pipe(
    v.string((issue) => `should be base64 float32 text, but is ${describeValue(issue.input)}`),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      let floats: Float32Array;
      try {
        floats = base64ToFloats(dataset.value);
      } catch (error) {
        if (!(error instanceof Base64Error)) throw error;
        addIssue({ message: `is not valid base64 float32 text (${error.message})` });
        return NEVER;
      }
      if (floats.length !== d * d) {
        addIssue({ message: `holds ${floats.length} numbers, expected ${d} × ${d} = ${d * d}` });
        return NEVER;
      }
      const bad = floats.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) {
        addIssue({ message: `number ${bad + 1} is ${floats[bad]}, expected a finite number` });
        return NEVER;
      }
      return floats;
    }),
  );
}

/** NaN (no validation split) is written as null. */
const maybeNumber = v.pipe(
  v.nullable(finiteNumber()),
  v.transform((x) => x ?? NaN),
);

const count = wholeNumber(0);

function adapterSchema(d: number) {
  return plainObject({
    format: v.literal(ADAPTER_FORMAT),
    variant: oneOf(['ls', 'vs'] as const),
    seed: v.pipe(v.number(), v.integer('should be a whole number')),
    epochs: count,
    bestEpoch: count,
    optimizer: oneOf(['adam', 'sgd'] as const),
    learningRate: finiteNumber(0),
    weights: plainObject({
      clip: finiteNumber(0),
      image: finiteNumber(0),
      language: finiteNumber(0),
      spurious: finiteNumber(0),
    }),
    templates: v.pipe(v.array(v.string()), v.minLength(1, 'is empty: an adapter needs its templates')),
    classes: v.pipe(v.array(v.string()), v.minLength(2, 'needs at least two classes')),
    attributes: v.array(v.string()),
    dim: wholeNumber(1),
    W_v: matrix(d),
    W_t: matrix(d),
    logScale: finiteNumber(),
    splitSizes: plainObject({ train: count, val: count, test: count }),
    history: v.array(plainObject({ trainLoss: maybeNumber, valWGA: maybeNumber, valAcc: maybeNumber })),
    cancelled: v.optional(v.boolean(), false),
  });
}

/** The adapter as JSON text (matrices as base64 float32: exact on parse). */
export function serializeAdapter(adapter: TrainedAdapter): string {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return JSON.stringify({
    ...adapter,
    W_v: floatsToBase64(adapter.W_v),
    W_t: floatsToBase64(adapter.W_t),
    history: adapter.history.map((h) => ({
      trainLoss: finite(h.trainLoss),
      valWGA: finite(h.valWGA),
      valAcc: finite(h.valAcc),
    })),
  });
}

/** Parses and checks an adapter file (JSON text or parsed value). Throws AdapterError with a sentence. */
export function parseAdapter(input: string | unknown): TrainedAdapter {
  let root: unknown = input;
  if (typeof input === 'string') {
    try {
      root = JSON.parse(input);
    } catch (error) {
      throw new AdapterError('(json)', `this file is not valid JSON (${errorMessage(error)})`);
    }
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    throw new AdapterError('(root)', `${NOT_AN_ADAPTER}: it should be a JSON object, but is ${describeValue(root)}`);
  }
  const format = (root as Record<string, unknown>).format;
  if (format !== ADAPTER_FORMAT) {
    throw new AdapterError(
      'format',
      format === undefined
        ? `${NOT_AN_ADAPTER}: it has no "format" field (an adapter says "format": "${ADAPTER_FORMAT}")`
        : `${NOT_AN_ADAPTER}: its format is ${describeValue(format)}, expected "${ADAPTER_FORMAT}"`,
    );
  }
  const header = check(plainObject({ dim: wholeNumber(1) }), root);
  if (!header.ok)
    throw new AdapterError(pathText(header.problem.path), problemSentence(header.problem, ADAPTER_PLACES, root));
  const parsed = check(adapterSchema(header.value.dim), root);
  if (!parsed.ok)
    throw new AdapterError(pathText(parsed.problem.path), problemSentence(parsed.problem, ADAPTER_PLACES, root));
  const adapter = parsed.value;
  if (adapter.bestEpoch > adapter.epochs) {
    throw new AdapterError(
      'bestEpoch',
      `the best epoch (${adapter.bestEpoch}) is after the last one (${adapter.epochs})`,
    );
  }
  return { ...adapter, format: ADAPTER_FORMAT };
}
