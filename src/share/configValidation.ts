/**
 * Validation of an untrusted ExplorerConfig (from a share link or a report). Structural checks (types,
 * sizes, control characters) are ours; the semantic rules for classes, templates and the group prompt
 * pattern are the core's validators, so a link accepts exactly what the app can run. Errors name the
 * field; K above the pool size is clamped with a warning so such a link still opens.
 */
import { validatePhrasings } from '../core/attributeMethods';
import { validateClasses, validateGroupPromptPattern, validateTemplates, type FieldIssue } from '../core/templates';
import { METHOD_IDS, type Aggregate } from '../core/types';
import type { Dtype, ExplorerConfig } from '../core/config';
import {
  expectArray,
  expectFiniteNumber,
  expectInteger,
  expectOneOf,
  expectRecord,
  expectString,
  expectUnique,
  fail,
} from './fields';

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

const CONFIG_KEYS: readonly (keyof ExplorerConfig)[] = [
  'model',
  'dtype',
  'classes',
  'attributes',
  'templates',
  'groupPromptPattern',
  'method',
  'k',
  'aggregate',
  'seed',
  'zeroshotTemplate',
  'phrasings',
  'acceptPairs',
  'lambda',
];

export interface ValidatedConfig {
  config: ExplorerConfig;
  warnings: string[];
}

/**
 * Throws FieldError (caught by the public decoders). `prefix` is prepended to field names, e.g.
 * "config." inside a report.
 */
export function validateExplorerConfig(value: unknown, prefix = ''): ValidatedConfig {
  const warnings: string[] = [];
  const record = expectRecord(value, prefix.replace(/\.$/, '') || 'config');
  const f = (name: string): string => `${prefix}${name}`;

  const model = expectString(record.model, f('model'), {
    maxLength: CONFIG_LIMITS.modelLength,
    nonEmpty: 'empty model id',
    noControl: true,
  });
  const dtype = expectOneOf(record.dtype, f('dtype'), DTYPES);

  const classes = expectStringList(record.classes, f('classes'), CONFIG_LIMITS.classes);
  failOnIssue(validateClasses(classes), prefix);

  const attributes = expectStringList(record.attributes, f('attributes'), CONFIG_LIMITS.attributes);
  expectUnique(attributes, f('attributes'), 'attribute');

  const templates = expectStringList(record.templates, f('templates'), CONFIG_LIMITS.templates);
  failOnIssue(validateTemplates(templates), prefix);

  const groupPromptPattern = expectString(record.groupPromptPattern, f('groupPromptPattern'), {
    maxLength: CONFIG_LIMITS.stringLength,
    noControl: true,
  });
  failOnIssue(validateGroupPromptPattern(groupPromptPattern), prefix);

  const method = expectOneOf(record.method, f('method'), METHOD_IDS);
  let k = expectInteger(record.k, f('k'), 1, Number.MAX_SAFE_INTEGER);
  if (k > templates.length) {
    warnings.push(`${f('k')}: ${k} is more than the ${templates.length} templates; using ${templates.length}`);
    k = templates.length;
  }
  const aggregate = expectOneOf(record.aggregate, f('aggregate'), AGGREGATES);
  const seed = expectInteger(record.seed, f('seed'), 0, CONFIG_LIMITS.seedMax);
  const zeroshotTemplate = expectInteger(record.zeroshotTemplate, f('zeroshotTemplate'), 0, templates.length - 1);

  for (const key of Object.keys(record)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) warnings.push(`${f(key)}: unknown field, ignored`);
  }
  const methodSettings = readMethodSettings(record, f);

  return {
    config: {
      model,
      dtype,
      classes,
      attributes,
      templates,
      groupPromptPattern,
      method,
      k,
      aggregate,
      seed,
      zeroshotTemplate,
      ...methodSettings,
    },
    warnings,
  };
}

/** The SPEC §7 settings; each is optional (absent = the default), so links made before them still open. */
function readMethodSettings(
  record: Record<string, unknown>,
  f: (name: string) => string,
): Pick<ExplorerConfig, 'phrasings' | 'acceptPairs' | 'lambda'> {
  const settings: Pick<ExplorerConfig, 'phrasings' | 'acceptPairs' | 'lambda'> = {};
  if (record.phrasings !== undefined) {
    const phrasings = expectStringList(record.phrasings, f('phrasings'), CONFIG_LIMITS.phrasings);
    const issue = validatePhrasings(phrasings)[0];
    if (issue) fail(f('phrasings'), issue.field === 'phrasings' ? issue.message : `${issue.field}: ${issue.message}`);
    settings.phrasings = phrasings;
  }
  if (record.acceptPairs !== undefined) {
    const pairs = expectArray(record.acceptPairs, f('acceptPairs'), CONFIG_LIMITS.acceptPairs);
    settings.acceptPairs = pairs.map((pair, i): [string, string] => {
      const field = f(`acceptPairs[${i}]`);
      const phrases = expectStringList(pair, field, 2);
      if (phrases.length !== 2 || phrases.some((p) => p.trim() === '')) fail(field, 'expected two non-empty phrases');
      return [phrases[0], phrases[1]];
    });
  }
  if (record.lambda !== undefined) settings.lambda = expectFiniteNumber(record.lambda, f('lambda'), 0);
  return settings;
}

function expectStringList(value: unknown, field: string, maxLength: number): string[] {
  const list = expectArray(value, field, maxLength);
  return list.map((item, i) =>
    expectString(item, `${field}[${i}]`, { maxLength: CONFIG_LIMITS.stringLength, noControl: true }),
  );
}

function failOnIssue(issues: readonly FieldIssue[], prefix: string): void {
  if (issues.length > 0) fail(`${prefix}${issues[0].field}`, issues[0].message);
}
