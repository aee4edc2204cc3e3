import { describe, expect, it } from 'vitest';
import { labelProblems, templateProblems } from './datasetChecks';

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
