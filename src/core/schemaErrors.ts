/**
 * Schema validation with valibot (the one schema library) and sentences a user understands.
 *
 * valibot finds the first problem and its path (`images[11].embedding`); this module words it: each file kind
 * names the places in its own terms ("image 12 (landbird/water/x.jpg): embedding", "class 1 (landbird)") and the
 * problem is a plain predicate ("has 511 numbers, expected 512", "is missing", "should be text, but is 5").
 * The JSON path stays available to code and tests as `field`.
 */
import * as v from 'valibot';

export type FieldPath = readonly (string | number)[];

/** A problem at a place: `predicate` follows the place's name ("is missing"); `statement` follows a colon. */
export interface SchemaProblem {
  path: FieldPath;
  text: string;
  form: 'predicate' | 'statement' | 'missing';
}

/** How one kind of document names its places. */
export interface PlaceNames {
  /**
   * For a file: the sentence opening used when the file itself is wrong or a required top-level field is missing,
   * e.g. "this file is not a SAGE embeddings bundle". Top-level fields are then also named by their JSON key.
   */
  notA?: string;
  /** A noun phrase for the value at `path` (never empty), e.g. "image 12 (x.jpg): embedding". */
  place(path: FieldPath, root: unknown): string;
}

/** `images[11].embedding`: the JSON path, for code, tests and logs. */
export function pathText(path: FieldPath): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

const PATH_PART = /([^.[\]]+)|\[(\d+)\]/g;

/** The inverse of pathText, for validators that name fields as text ("classes[2]"). */
export function parsePathText(text: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const match of text.matchAll(PATH_PART)) path.push(match[2] === undefined ? match[1] : Number(match[2]));
  return path;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** A short description of a value for messages: never the whole (possibly huge) value. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `a text of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** "class 1 (landbird)": counted from 1, with the item's name when it has a usable one. */
export function nth(noun: string, index: number, name?: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') return `${noun} ${index + 1}`;
  const short = name.length > 60 ? `${name.slice(0, 57)}…` : name;
  return `${noun} ${index + 1} (${short.replace(/[\r\n]+/g, ' ')})`;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  loose_object: 'an object',
  strict_object: 'an object',
  record: 'an object',
  null: 'null',
};

/** valibot's default message, for issues whose schema gives none: the problem as a plain predicate. */
function plainProblem(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema') {
    if (issue.input === undefined) return 'is missing';
    const expected = TYPE_WORDS[issue.type] ?? issue.expected ?? 'something else';
    return `should be ${expected}, but is ${describeValue(issue.input)}`;
  }
  return `is not valid (${describeValue(issue.input)}; expected ${issue.expected ?? issue.type})`;
}

const CONFIG = { abortEarly: true, message: plainProblem } as const;

const STATEMENT = ': ';

/**
 * A schema message that is a statement rather than a predicate: it follows the place after a colon
 * ("result 2 (sage): scores: 47 float32 values, expected 48") instead of continuing its sentence.
 */
export function statement(text: string): string {
  return STATEMENT + text;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: SchemaProblem };

/** Runs `schema` on `input`; on failure, the first problem with its path (prefixed by `at`). */
export function check<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  at: FieldPath = [],
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, CONFIG);
  if (result.success) return { ok: true, value: result.output };
  const issue = result.issues[0];
  const path = [...at];
  for (const item of issue.path ?? [])
    if (typeof item.key === 'string' || typeof item.key === 'number') path.push(item.key);
  if (issue.kind === 'schema' && issue.input === undefined) {
    return { ok: false, problem: { path, text: 'is missing', form: 'missing' } };
  }
  if (issue.message.startsWith(STATEMENT)) {
    return { ok: false, problem: { path, text: issue.message.slice(STATEMENT.length), form: 'statement' } };
  }
  return { ok: false, problem: { path, text: issue.message, form: 'predicate' } };
}

/** The problem as a sentence, places named by `names`; "classes[0]"-style references inside it are renamed too. */
export function problemSentence(problem: SchemaProblem, names: PlaceNames, root: unknown): string {
  const { path, form } = problem;
  const text = problem.text.replace(/\b[A-Za-z]+(?:\.[A-Za-z]+)*(?:\[\d+\])+/g, (ref) =>
    // without the root: the reference is named by position only, the message usually quotes the value itself
    names.place(parsePathText(ref), undefined),
  );
  if (names.notA !== undefined) {
    if (path.length === 0) return `${names.notA}: it ${form === 'statement' ? `is wrong: ${text}` : text}`;
    if (path.length === 1) {
      const field = `${names.place(path, root)} (field ${JSON.stringify(path[0])})`;
      if (form === 'missing') return `${names.notA}: it has no ${field}`;
      return form === 'statement' ? `${field}: ${text}` : `${field} ${text}`;
    }
  }
  const place = names.place(path, root);
  return form === 'statement' ? `${place}: ${text}` : `${place} ${text}`;
}

// ---------------------------------------------------------------- schema pieces with worded problems

/** A whole number in [min, max] (max omitted: no upper bound). */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const message = (issue: v.BaseIssue<unknown>) =>
    `should be a whole number ${range}, but is ${describeValue(issue.input)}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

/** A finite number in [min, max]. */
export function finiteNumber(min = -Infinity, max = Infinity) {
  const range =
    Number.isFinite(min) && Number.isFinite(max)
      ? ` from ${min} to ${max}`
      : Number.isFinite(min)
        ? ` of at least ${min}`
        : '';
  const message = (issue: v.BaseIssue<unknown>) => `should be a number${range}, but is ${describeValue(issue.input)}`;
  return v.pipe(v.number(message), v.finite(message), v.minValue(min, message), v.maxValue(max, message));
}

/** One of a fixed list of strings. */
export function oneOf<const T extends string>(options: readonly T[]) {
  return v.picklist(
    options,
    (issue) =>
      `should be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, but is ${describeValue(issue.input)}`,
  );
}

export interface TextRules {
  maxLength: number;
  /** reject empty (after trimming) */
  nonEmpty?: boolean;
  /** reject C0 control characters and DEL (they have no place in a class name or template) */
  noControl?: boolean;
}

/** Index of the first C0 control character or DEL, or -1. */
function controlCharacterAt(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return i;
  }
  return -1;
}

/** A string with a length cap and optional non-empty / no-control-character rules. */
export function text(rules: TextRules) {
  return v.pipe(
    v.string(),
    v.maxLength(
      rules.maxLength,
      (issue) => `is too long (${String(issue.received)} characters; at most ${rules.maxLength})`,
    ),
    v.check((value) => !rules.nonEmpty || value.trim() !== '', 'is empty'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!rules.noControl || !dataset.typed) return;
      const at = controlCharacterAt(dataset.value);
      if (at >= 0) {
        const code = dataset.value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
        addIssue({ message: `contains a control character (U+${code}) at position ${at}` });
      }
    }),
  );
}

/** An object that is not an array: valibot's object schemas accept arrays, then report their "missing" keys. */
const notAnArray = v.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  (issue) => `should be an object, but is ${describeValue(issue.input)}`,
);

/** valibot's object (unknown keys dropped from the output), refusing arrays. */
export function plainObject<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(notAnArray, v.object(entries));
}

/** valibot's loose object (unknown keys kept), refusing arrays. */
export function plainLooseObject<const E extends v.ObjectEntries>(entries: E) {
  return v.pipe(notAnArray, v.looseObject(entries));
}

/** A list of at most `maxLength` items, counted before any item is checked (a huge list is refused cheaply). */
export function list<S extends v.GenericSchema>(item: S, maxLength: number) {
  return v.pipe(
    v.array(v.unknown()),
    v.maxLength(maxLength, (issue) => `has too many entries (${String(issue.received)}; at most ${maxLength})`),
    v.array(item),
  );
}
