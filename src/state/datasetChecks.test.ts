import { describe, expect, it } from 'vitest';
import { labelProblems, runInputProblems, templateProblems } from './datasetChecks';

describe('labelProblems', () => {
  it('gives one message per class string and the pattern its joined problems', () => {
    const problems = labelProblems(['landbird', '', 'landbird'], 'a photo of a {class}.');
    expect(problems.perClass).toHaveLength(3);
    expect(problems.perClass[0]).toBe('');
    expect(problems.perClass[1]).not.toBe('');
    expect(problems.perClass[2]).toMatch(/landbird/);
    expect(problems.pattern).toBe('pattern has no "{attribute}"');
    expect(labelProblems(['a', 'b'], '{class} on {attribute}')).toEqual({ perClass: ['', ''], pattern: '' });
  });
});

describe('templateProblems', () => {
  it('splits per-template problems from the pool-wide ones and counts both', () => {
    const problems = templateProblems(['a photo of a {}.', 'no placeholder']);
    expect(problems.perTemplate[0]).toBe('');
    expect(problems.perTemplate[1]).not.toBe('');
    expect(problems.general).toEqual([]);
    expect(problems.count).toBe(1);
    const empty = templateProblems([]);
    expect(empty).toEqual({ perTemplate: [], general: ['at least one template is needed'], count: 1 });
  });
});

describe('runInputProblems', () => {
  const base = {
    classFolders: ['landbird', 'waterbird'],
    classes: ['landbird', 'waterbird'],
    templates: ['a photo of a {}.'],
    groupPromptPattern: 'a photo of a {class} on {attribute}.',
    hasAttributes: true,
  };

  it('is empty when the run may start', () => {
    expect(runInputProblems(base)).toEqual([]);
  });

  it('names an empty class string by its number and folder, never classes[1]', () => {
    const problems = runInputProblems({ ...base, classes: ['landbird', ' '] });
    expect(problems).toEqual(['Class 2 (folder waterbird) is empty: type the word(s) the templates should use.']);
    expect(problems.join(' ')).not.toMatch(/classes\[/);
  });

  it('names duplicate classes by their strings', () => {
    expect(runInputProblems({ ...base, classes: ['landbird', 'landbird'] })).toEqual([
      'Class 2 ("landbird") is the same as class 1 ("landbird"): each needs its own text.',
    ]);
  });

  it('names templates by number and text, and the group prompt in words', () => {
    const problems = runInputProblems({ ...base, templates: ['a photo'], groupPromptPattern: '{class}' });
    expect(problems).toEqual([
      'Template 1 ("a photo") has no "{}" where the class name goes.',
      'The group prompt has no "{attribute}".',
    ]);
    // without attributes the group prompt is not used, so it does not block the run
    expect(runInputProblems({ ...base, groupPromptPattern: '{class}', hasAttributes: false })).toEqual([]);
  });

  it('asks for a second class', () => {
    expect(runInputProblems({ ...base, classFolders: ['landbird'], classes: ['landbird'] })).toEqual([
      'Only one class (landbird): add images of at least one more class to compare.',
    ]);
  });
});

describe('class names in the editors', () => {
  it('say which class a duplicate repeats, by its string', () => {
    const problems = labelProblems(['landbird', 'landbird'], '{class} {attribute}', ['land', 'land2']);
    expect(problems.perClass[1]).toBe('The same as class 1 ("landbird"): each needs its own text.');
  });
});
