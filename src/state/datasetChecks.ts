/**
 * What is wrong with the labels and templates the user is editing, shaped for the editors: one message per
 * input (empty when it is fine) plus the problems no single input owns. The rules live in core/templates.
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

function messagesFor(issues: readonly FieldIssue[], field: string): string[] {
  return issues.filter((issue) => issue.field === field).map((issue) => issue.message);
}

export function labelProblems(classes: readonly string[], groupPromptPattern: string): LabelProblems {
  const issues = validateClasses(classes);
  return {
    perClass: classes.map((_, i) => messagesFor(issues, `classes[${i}]`)[0] ?? ''),
    pattern: validateGroupPromptPattern(groupPromptPattern)
      .map((issue) => issue.message)
      .join('; '),
  };
}

export function templateProblems(templates: readonly string[]): TemplateProblems {
  const issues = validateTemplates(templates);
  return {
    perTemplate: templates.map((_, i) => messagesFor(issues, `templates[${i}]`).join('; ')),
    general: issues.filter((issue) => !/^templates\[\d+\]$/.test(issue.field)).map((issue) => issue.message),
    count: issues.length,
  };
}
