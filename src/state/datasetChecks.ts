/**
 * What is wrong with the labels and templates the user is editing, shaped for the editors: one message per
 * input (empty when it is fine) plus the problems no single input owns, and the same problems as sentences
 * for the Run button's reason. The rules live in core/templates; the words here name classes and templates
 * as a user sees them ("class 2 ("waterbird")"), never as `classes[1]`.
 */
import { type FieldIssue, validateClasses, validateGroupPromptPattern, validateTemplates } from '../core';

export interface LabelProblems {
  /** per class string, in class order: the first problem, or '' */
  perClass: string[];
  /** the group-prompt pattern's problems joined, or '' */
  pattern: string;
}

export interface TemplateProblems {
  /** per template: its problems joined, or '' */
  perTemplate: string[];
  /** problems of the pool as a whole (e.g. "at least one template is needed") */
  general: string[];
  /** all problems, general and per template */
  count: number;
}

const INDEXED = /^(classes|templates)\[(\d+)\]$/;
const DUPLICATE_OF = /^duplicate of \w+\[(\d+)\]/;

/** "class 2 ("waterbird")", or the folder when the string is empty: "class 2 (folder waterbird)". */
export function className(index: number, text: string, folder?: string): string {
  if (text.trim() !== '') return `class ${index + 1} ("${text}")`;
  return folder ? `class ${index + 1} (folder ${folder})` : `class ${index + 1}`;
}

/** "template 3 ("a photo of a {}.")" */
function templateName(index: number, text: string): string {
  const short = text.length > 50 ? `${text.slice(0, 49)}…` : text;
  return `template ${index + 1} ("${short}")`;
}

/** One class or template problem in words, without the place's name (it sits beside its input). */
function problemWords(issue: FieldIssue, names: (index: number) => string): string {
  const duplicate = DUPLICATE_OF.exec(issue.message);
  if (duplicate) return `is the same as ${names(Number(duplicate[1]))}: each needs its own text`;
  if (issue.message === 'class string is empty') return 'is empty: type the word(s) the templates should use';
  if (issue.message.includes('has no "{}" placeholder')) return 'has no "{}" where the class name goes';
  return issue.message;
}

function messagesFor(issues: readonly FieldIssue[], field: string, names: (index: number) => string): string[] {
  return issues.filter((issue) => issue.field === field).map((issue) => problemWords(issue, names));
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function labelProblems(
  classes: readonly string[],
  groupPromptPattern: string,
  folders: readonly string[] = [],
): LabelProblems {
  const issues = validateClasses(classes);
  const names = (i: number) => className(i, classes[i] ?? '', folders[i]);
  return {
    perClass: classes.map((_, i) => {
      const first = messagesFor(issues, `classes[${i}]`, names)[0];
      // beside its input the class needs no name: "The same as class 1 (…)", "Empty: type …"
      return first ? `${capitalised(first.replace(/^is (?=the same)|^is /, ''))}.` : '';
    }),
    pattern: validateGroupPromptPattern(groupPromptPattern)
      .map((issue) => issue.message)
      .join('; '),
  };
}

export function templateProblems(templates: readonly string[]): TemplateProblems {
  const issues = validateTemplates(templates);
  const names = (i: number) => templateName(i, templates[i] ?? '');
  return {
    perTemplate: templates.map((_, i) => messagesFor(issues, `templates[${i}]`, names).join('; ')),
    general: issues.filter((issue) => !INDEXED.test(issue.field)).map((issue) => issue.message),
    count: issues.length,
  };
}

export interface RunInput {
  /** the class folders, in class order */
  classFolders: readonly string[];
  /** the class string of each folder, in the same order */
  classes: readonly string[];
  templates: readonly string[];
  groupPromptPattern: string;
  /** whether any image has an attribute (the group-prompt pattern is used only then) */
  hasAttributes: boolean;
}

/**
 * Every input problem that stops a run, as sentences naming the class or template in users' words. Empty when
 * Run may start. The Run button shows the first beside it and stays disabled while any stands.
 */
export function runInputProblems(input: RunInput): string[] {
  if (input.classFolders.length < 2) {
    return [
      input.classFolders.length === 0
        ? 'Add images in at least two class folders first.'
        : `Only one class (${input.classFolders[0]}): add images of at least one more class to compare.`,
    ];
  }
  const problems: string[] = [];
  const classNames = (i: number) => className(i, input.classes[i] ?? '', input.classFolders[i]);
  for (const issue of validateClasses(input.classes)) {
    const indexed = INDEXED.exec(issue.field);
    if (!indexed) continue; // "at least 2 classes" is covered above by the folders
    problems.push(`${capitalised(classNames(Number(indexed[2])))} ${problemWords(issue, classNames)}.`);
  }
  const templateNames = (i: number) => templateName(i, input.templates[i] ?? '');
  for (const issue of validateTemplates(input.templates)) {
    const indexed = INDEXED.exec(issue.field);
    if (!indexed) problems.push(`Template pool: ${issue.message}.`);
    else problems.push(`${capitalised(templateNames(Number(indexed[2])))} ${problemWords(issue, templateNames)}.`);
  }
  if (input.hasAttributes) {
    for (const issue of validateGroupPromptPattern(input.groupPromptPattern))
      problems.push(`The group prompt ${issue.message.replace(/^pattern /, '')}.`);
  }
  return problems;
}
