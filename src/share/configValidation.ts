/**
 * Validation of an untrusted ExplorerConfig (from a share link or a report). The structure (types, sizes, control
 * characters) is a valibot schema; the semantic rules for classes, templates and the group prompt pattern are the
 * core's validators, so a link accepts exactly what the app can run. Problems carry their path; the places are
 * named in the user's words (configPlace). K above the pool size is clamped with a warning so such a link still
 * opens.
 */
import * as v from 'valibot';
import type { Dtype, ExplorerConfig } from '../core/config';
import { FieldError } from '../core/errors';
import {
  check,
  describeValue,
  finiteNumber,
  list,
  nth,
  oneOf,
  parsePathText,
  pathText,
  plainLooseObject,
  problemSentence,
  text,
  valueAt,
  wholeNumber,
  type FieldPath,
  type PlaceNames,
  type SchemaProblem,
} from '../core/schemaErrors';
import { validatePhrasings } from '../core/attributeMethods';
import { validateClasses, validateGroupPromptPattern, validateTemplates, type FieldIssue } from '../core/templates';
import { METHOD_IDS, type Aggregate } from '../core/types';

export const CONFIG_LIMITS = {
  classes: 1000,
  attributes: 1000,
  templates: 5000,
  /** characters per class, attribute or template string */
  stringLength: 1000,
  modelLength: 300,
  seedMax: 0xffffffff,
  phrasings: 100,
  acceptPairs: 100,
} as const;

export const DTYPES: readonly Dtype[] = ['fp32', 'fp16', 'q8'];
export const AGGREGATES: readonly Aggregate[] = ['embedding', 'score'];

const CONFIG_WORDS: Record<keyof ExplorerConfig, string> = {
  model: 'model id',
  dtype: 'precision (dtype)',
  classes: 'class list',
  attributes: 'attribute list',
  templates: 'template list',
  groupPromptPattern: 'group prompt pattern',
  method: 'method',
  k: 'K (templates per image)',
  aggregate: 'aggregation',
  seed: 'random seed',
  zeroshotTemplate: 'zero-shot template',
  phrasings: 'attribute phrasings',
  acceptPairs: 'RoboShot accept pairs',
  lambda: 'Orth-Cali λ',
};

const LIST_ITEMS: Record<string, string> = {
  classes: 'class',
  attributes: 'attribute',
  templates: 'template',
  phrasings: 'phrasing',
  acceptPairs: 'accept pair',
};

/** A place inside a configuration, in the user's words: "class 3 (cat)", "K (templates per image)". */
export function configPlace(path: FieldPath, config: unknown): string {
  const [key, index, part] = path;
  const words = CONFIG_WORDS[key as keyof ExplorerConfig] ?? String(key);
  if (typeof index !== 'number') return words;
  const item = nth(LIST_ITEMS[key] ?? String(key), index, valueAt(config, [key, index]));
  // an accept pair's two phrases
  return typeof part === 'number' ? `${item}: phrase ${part + 1}` : item;
}

/** For a configuration read from a link: no file to name, only its fields. */
export const LINK_PLACES: PlaceNames = { place: configPlace };

const line = text({ maxLength: CONFIG_LIMITS.stringLength, noControl: true });

const configSchema = plainLooseObject({
  model: text({ maxLength: CONFIG_LIMITS.modelLength, nonEmpty: true, noControl: true }),
  dtype: oneOf(DTYPES),
  classes: list(line, CONFIG_LIMITS.classes),
  attributes: list(line, CONFIG_LIMITS.attributes),
  templates: list(line, CONFIG_LIMITS.templates),
  groupPromptPattern: line,
  // the selected row may be a trained adapter's (issue 15); without its adapter the view falls back to SAGE
  method: oneOf([...METHOD_IDS, 'adapter'] as const),
  k: wholeNumber(1),
  aggregate: oneOf(AGGREGATES),
  seed: wholeNumber(0, CONFIG_LIMITS.seedMax),
  zeroshotTemplate: wholeNumber(0),
  // SPEC §7 settings: optional (absent = the defaults), so links and reports made before them still open
  phrasings: v.optional(list(line, CONFIG_LIMITS.phrasings)),
  acceptPairs: v.optional(
    list(
      v.tuple(
        [
          text({ maxLength: CONFIG_LIMITS.stringLength, nonEmpty: true, noControl: true }),
          text({ maxLength: CONFIG_LIMITS.stringLength, nonEmpty: true, noControl: true }),
        ],
        (issue) => `should be two phrases [p, q], but is ${describeValue(issue.input)}`,
      ),
      CONFIG_LIMITS.acceptPairs,
    ),
  ),
  lambda: v.optional(finiteNumber(0)),
});

export type ConfigCheck =
  { ok: true; config: ExplorerConfig; warnings: string[] } | { ok: false; problem: SchemaProblem };

/** The first problem a core validator found, as a statement at its field. */
export function fieldIssueProblem(issues: readonly FieldIssue[], at: FieldPath = []): SchemaProblem | null {
  if (issues.length === 0) return null;
  return { path: [...at, ...parsePathText(issues[0].field)], text: issues[0].message, form: 'statement' };
}

/** First duplicate in a list, as a problem at the later copy. */
export function duplicateProblem(values: readonly string[], at: FieldPath, noun: string): SchemaProblem | null {
  const seen = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const first = seen.get(values[i]);
    if (first !== undefined) {
      return { path: [...at, i], text: `is the same as ${noun} ${first + 1}`, form: 'predicate' };
    }
    seen.set(values[i], i);
  }
  return null;
}

/**
 * Checks an untrusted configuration. Paths in the problem are prefixed with `at` (e.g. ['config'] inside a
 * report); warnings are worded with `place`.
 */
export function checkExplorerConfig(
  value: unknown,
  at: FieldPath = [],
  place: (path: FieldPath) => string = (path) => configPlace(path, value),
): ConfigCheck {
  const checked = check(configSchema, value, at);
  if (!checked.ok) return checked;
  const { extra, ...known } = splitUnknown(checked.value);
  const config: ExplorerConfig = known;
  const problem =
    fieldIssueProblem(validateClasses(config.classes), at) ??
    duplicateProblem(config.attributes, [...at, 'attributes'], 'attribute') ??
    fieldIssueProblem(validateTemplates(config.templates), at) ??
    fieldIssueProblem(validateGroupPromptPattern(config.groupPromptPattern), at) ??
    zeroshotProblem(config, at) ??
    phrasingProblem(config.phrasings, at);
  if (problem) return { ok: false, problem };
  const warnings: string[] = [];
  if (config.k > config.templates.length) {
    warnings.push(
      `${place([...at, 'k'])} is ${config.k}, more than the ${config.templates.length} templates; using ${config.templates.length}`,
    );
    config.k = config.templates.length;
  }
  for (const key of extra) warnings.push(`configuration: unknown field ${JSON.stringify(key)} ignored`);
  return { ok: true, config, warnings };
}

/** The core's phrasing rules; it names a phrasing "phrasing 2", here it becomes the path phrasings[1]. */
function phrasingProblem(phrasings: readonly string[] | undefined, at: FieldPath): SchemaProblem | null {
  if (phrasings === undefined) return null;
  const issue = validatePhrasings(phrasings)[0];
  if (!issue) return null;
  const numbered = /^phrasing (\d+)$/.exec(issue.field);
  const path = numbered ? [...at, 'phrasings', Number(numbered[1]) - 1] : [...at, 'phrasings'];
  return { path, text: issue.message, form: 'statement' };
}

function zeroshotProblem(config: ExplorerConfig, at: FieldPath): SchemaProblem | null {
  const m = config.templates.length;
  if (config.zeroshotTemplate < m) return null;
  return {
    path: [...at, 'zeroshotTemplate'],
    text: `is number ${config.zeroshotTemplate}, but the pool has ${m} template${m === 1 ? '' : 's'} (numbered from 0)`,
    form: 'predicate',
  };
}

const CONFIG_KEYS = new Set(Object.keys(CONFIG_WORDS));

/** The configuration's own fields, and the names of any others (reported, never copied). */
function splitUnknown(value: v.InferOutput<typeof configSchema>): ExplorerConfig & { extra: string[] } {
  const settings: Pick<ExplorerConfig, 'phrasings' | 'acceptPairs' | 'lambda'> = {};
  if (value.phrasings !== undefined) settings.phrasings = value.phrasings;
  if (value.acceptPairs !== undefined) settings.acceptPairs = value.acceptPairs;
  if (value.lambda !== undefined) settings.lambda = value.lambda;
  return {
    ...settings,
    model: value.model,
    dtype: value.dtype,
    classes: value.classes,
    attributes: value.attributes,
    templates: value.templates,
    groupPromptPattern: value.groupPromptPattern,
    method: value.method,
    k: value.k,
    aggregate: value.aggregate,
    seed: value.seed,
    zeroshotTemplate: value.zeroshotTemplate,
    extra: Object.keys(value).filter((key) => !CONFIG_KEYS.has(key)),
  };
}

export interface ValidatedConfig {
  config: ExplorerConfig;
  warnings: string[];
}

/** checkExplorerConfig for callers that want an exception: throws a FieldError whose message is the sentence. */
export function validateExplorerConfig(value: unknown): ValidatedConfig {
  const checked = checkExplorerConfig(value);
  if (!checked.ok) {
    const error = new FieldError(pathText(checked.problem.path), '');
    error.message = problemSentence(checked.problem, LINK_PLACES, value);
    throw error;
  }
  return { config: checked.config, warnings: checked.warnings };
}
