/**
 * The template pool and prompt building (SPEC §1). Prompts are template-major:
 * (t0,c0), (t0,c1), …, (t1,c0), … — the same order as the bundle's `text` rows.
 */
import clipTemplates from './clipTemplates.json';

/** The 80 OpenAI CLIP ImageNet templates, in the standard order (index = position). */
export const CLIP_TEMPLATES: readonly string[] = Object.freeze([...(clipTemplates as string[])]);

/** The placeholder a template's class string replaces. */
export const CLASS_PLACEHOLDER = '{}';

/** A validation problem, naming the offending field (e.g. `templates[3]`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Replaces every "{}" in the template with the class string. */
export function fillTemplate(template: string, cls: string): string {
  return template.split(CLASS_PLACEHOLDER).join(cls);
}

/** All M·C prompts, template-major: index = t·C + c. */
export function buildPrompts(templates: readonly string[], classes: readonly string[]): string[] {
  const prompts: string[] = [];
  for (const template of templates) {
    for (const cls of classes) prompts.push(fillTemplate(template, cls));
  }
  return prompts;
}

/** Template pool errors: empty pool, a template without "{}", duplicates (they would double-count in ensembles). */
export function validateTemplates(templates: readonly string[]): FieldIssue[] {
  const errors: FieldIssue[] = [];
  if (templates.length === 0) errors.push({ field: 'templates', message: 'at least one template is needed' });
  const seen = new Map<string, number>();
  templates.forEach((template, index) => {
    const field = `templates[${index}]`;
    if (!template.includes(CLASS_PLACEHOLDER)) {
      errors.push({ field, message: `template "${template}" has no "{}" placeholder for the class` });
    }
    const first = seen.get(template);
    if (first !== undefined) {
      errors.push({ field, message: `duplicate of templates[${first}] ("${template}")` });
    } else {
      seen.set(template, index);
    }
  });
  return errors;
}

/** Class list errors: fewer than 2 classes, empty (or blank) class strings, duplicates. */
export function validateClasses(classes: readonly string[]): FieldIssue[] {
  const errors: FieldIssue[] = [];
  if (classes.length < 2) {
    errors.push({ field: 'classes', message: `at least 2 classes are needed, got ${classes.length}` });
  }
  const seen = new Map<string, number>();
  classes.forEach((cls, index) => {
    const field = `classes[${index}]`;
    if (cls.trim() === '') errors.push({ field, message: 'class string is empty' });
    const first = seen.get(cls);
    if (first !== undefined) {
      errors.push({ field, message: `duplicate of classes[${first}] ("${cls}")` });
    } else {
      seen.set(cls, index);
    }
  });
  return errors;
}

export interface GroupPromptText {
  class: string;
  attribute: string;
  prompt: string;
}

/**
 * One prompt per (class, attribute) for the `groupprompt` reference method, class-major.
 * The pattern uses "{class}" and "{attribute}", e.g. "a photo of a {class} on {attribute}.".
 */
export function buildGroupPrompts(
  pattern: string,
  classes: readonly string[],
  attributes: readonly string[],
): GroupPromptText[] {
  const prompts: GroupPromptText[] = [];
  for (const cls of classes) {
    for (const attribute of attributes) {
      const prompt = pattern.split('{class}').join(cls).split('{attribute}').join(attribute);
      prompts.push({ class: cls, attribute, prompt });
    }
  }
  return prompts;
}

/** Words that put an attribute in a place ("on water", "with grass"): absence replaces them with "without". */
const PLACE_WORDS = [
  'on',
  'in',
  'at',
  'near',
  'by',
  'with',
  'over',
  'under',
  'against',
  'beside',
  'among',
  'inside',
  'behind',
  'above',
  'below',
  'across',
  'around',
  'along',
  'onto',
  'into',
  'from',
];
const PLACED_ATTRIBUTE = new RegExp(`\\b(${PLACE_WORDS.join('|')})\\s+\\{attribute\\}`, 'gi');

/**
 * The group prompt pattern for images that show none of `words` (an inferred attribute's "not water" or "other"
 * side): the label is not a phrase to fill in ("a photo of a landbird on not water."), so the place word before
 * "{attribute}" becomes "without" — "a photo of a {class} without water." — or, with no place word, the slot
 * reads "no water" ("a {class} and no water"). Several words read "water, sky or grass".
 */
export function absencePattern(pattern: string, words: readonly string[]): string {
  const phrase = words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
  if (!pattern.match(PLACED_ATTRIBUTE)) return pattern.split('{attribute}').join(`no ${phrase}`);
  return pattern.replace(
    PLACED_ATTRIBUTE,
    (_, place: string) => `${place[0] === place[0].toUpperCase() ? 'W' : 'w'}ithout ${phrase}`,
  );
}

/** Group prompt pattern errors: it must name both "{class}" and "{attribute}". */
export function validateGroupPromptPattern(pattern: string): FieldIssue[] {
  const errors: FieldIssue[] = [];
  if (!pattern.includes('{class}')) errors.push({ field: 'groupPromptPattern', message: 'pattern has no "{class}"' });
  if (!pattern.includes('{attribute}')) {
    errors.push({ field: 'groupPromptPattern', message: 'pattern has no "{attribute}"' });
  }
  return errors;
}
