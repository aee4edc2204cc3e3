/**
 * A model's preprocessor_config.json (Hugging Face's CLIPImageProcessor settings), read into the steps
 * preprocess.ts performs. Validated with valibot; a wrong field is named as it is spelled in the file
 * ("preprocessor_config.json size.shortest_edge should be a whole number of at least 1, but is -1"), since
 * that file is what the user opens to fix it.
 */
import * as v from 'valibot';
import {
  check,
  describeValue,
  finiteNumber,
  pathText,
  plainLooseObject,
  problemSentence,
  wholeNumber,
} from '../core/schemaErrors';

export type ResizeRule =
  { kind: 'shortestEdge'; size: number } | { kind: 'exact'; width: number; height: number } | { kind: 'none' };

export interface ClipPreprocessConfig {
  resize: ResizeRule;
  /** center crop size, or null for no crop */
  crop: { width: number; height: number } | null;
  /** multiply uint8 values by this (1/255), or 1 when do_rescale is false */
  rescale: number;
  /** per-channel RGB mean/std; identity when do_normalize is false */
  mean: [number, number, number];
  std: [number, number, number];
}

const PIL_BICUBIC = 3;
const FILE = 'preprocessor_config.json';

const positive = wholeNumber(1);
const flag = v.optional(v.boolean((issue) => `should be true or false, but is ${describeValue(issue.input)}`));
const heightAndWidth = plainLooseObject({ height: positive, width: positive });
const rgbTriple = v.pipe(
  v.array(finiteNumber()),
  v.length(3, (issue) => `should be 3 numbers (red, green, blue), but has ${String(issue.received)}`),
);

function hasKey(input: unknown, key: string): boolean {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && key in input;
}

type Shape<T> = readonly [matches: (input: unknown) => boolean, schema: v.GenericSchema<unknown, T>];

/**
 * A field with alternative shapes, checked against the one its value has (a union would report
 * {"shortest_edge": -1} as "not any of the shapes" instead of naming shortest_edge).
 */
function oneShape<T>(shapes: string, alternatives: readonly Shape<T>[]): v.GenericSchema<unknown, T> {
  return v.lazy((input) => {
    for (const [matches, schema] of alternatives) if (matches(input)) return schema;
    return v.custom<T>(() => false, `should be ${shapes}, but is ${describeValue(input)}`);
  });
}

const isNumber = (input: unknown) => typeof input === 'number';
const hasSides = (input: unknown) => hasKey(input, 'height') || hasKey(input, 'width');
type Sides = { height: number; width: number };

const PreprocessorConfig = plainLooseObject({
  do_convert_rgb: v.optional(
    v.literal(true, (issue) => `is ${describeValue(issue.input)}; only true is supported (CLIP reads RGB)`),
  ),
  do_resize: flag,
  size: v.optional(
    oneShape<number | { shortest_edge: number } | Sides>(
      'a whole number, {"shortest_edge": n} or {"height": h, "width": w}',
      [
        [isNumber, positive],
        [(input) => hasKey(input, 'shortest_edge'), plainLooseObject({ shortest_edge: positive })],
        [hasSides, heightAndWidth],
      ],
    ),
  ),
  resample: v.optional(
    v.literal(PIL_BICUBIC, (issue) => `is ${describeValue(issue.input)}; only 3 (bicubic, CLIP's) is implemented`),
  ),
  do_center_crop: flag,
  crop_size: v.optional(
    oneShape<number | Sides>('a whole number or {"height": h, "width": w}', [
      [isNumber, positive],
      [hasSides, heightAndWidth],
    ]),
  ),
  do_rescale: flag,
  rescale_factor: v.optional(
    v.pipe(
      finiteNumber(),
      v.gtValue(0, (issue) => `should be a number above 0, but is ${describeValue(issue.input)}`),
    ),
  ),
  do_normalize: flag,
  image_mean: v.optional(rgbTriple),
  image_std: v.optional(
    v.pipe(
      rgbTriple,
      v.check((std) => std.every((value) => value !== 0), 'has a 0 (every pixel value would be divided by it)'),
    ),
  ),
});

const NAMES = { place: (path: readonly (string | number)[]) => (path.length > 0 ? `${FILE} ${pathText(path)}` : FILE) };

function missing(field: string, because: string): Error {
  return new Error(`${FILE} has no ${field} (needed because ${because})`);
}

/** Reads a transformers preprocessor_config.json into the preprocessing steps, naming the field that is wrong. */
export function parsePreprocessorConfig(json: unknown): ClipPreprocessConfig {
  const checked = check(PreprocessorConfig, json);
  if (!checked.ok) throw new Error(problemSentence(checked.problem, NAMES, json));
  const raw = checked.value;

  let resize: ResizeRule = { kind: 'none' };
  if (raw.do_resize ?? true) {
    const size = raw.size;
    if (size === undefined) throw missing('size', 'do_resize is true');
    if (typeof size === 'number') resize = { kind: 'shortestEdge', size };
    else if ('shortest_edge' in size) resize = { kind: 'shortestEdge', size: size.shortest_edge };
    else resize = { kind: 'exact', width: size.width, height: size.height };
  }

  let crop: ClipPreprocessConfig['crop'] = null;
  if (raw.do_center_crop ?? true) {
    const cropSize = raw.crop_size;
    if (cropSize === undefined) throw missing('crop_size', 'do_center_crop is true');
    crop = typeof cropSize === 'number' ? { width: cropSize, height: cropSize } : cropSize;
  }

  const normalize = raw.do_normalize ?? true;
  if (normalize && !raw.image_mean) throw missing('image_mean', 'do_normalize is true');
  if (normalize && !raw.image_std) throw missing('image_std', 'do_normalize is true');
  const triple = (values: number[] | undefined, identity: number): [number, number, number] =>
    normalize && values ? [values[0], values[1], values[2]] : [identity, identity, identity];
  return {
    resize,
    crop: crop && { width: crop.width, height: crop.height },
    rescale: (raw.do_rescale ?? true) ? (raw.rescale_factor ?? 1 / 255) : 1,
    mean: triple(raw.image_mean, 0),
    std: triple(raw.image_std, 1),
  };
}
