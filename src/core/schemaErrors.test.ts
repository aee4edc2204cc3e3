import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  check,
  describeValue,
  list,
  nth,
  oneOf,
  parsePathText,
  pathText,
  plainObject,
  problemSentence,
  text,
  valueAt,
  wholeNumber,
  type PlaceNames,
} from './schemaErrors';

const PLACES: PlaceNames = {
  notA: 'this file is not a pet list',
  place: (path, root) => {
    if (path.length === 1) return path[0] === 'pets' ? 'pet list' : String(path[0]);
    const [, index, ...rest] = path;
    const owner = nth('pet', Number(index), valueAt(root, ['pets', index, 'name']));
    return rest.length === 0 ? owner : `${owner}: ${rest.join(' ')}`;
  },
};

const schema = plainObject({
  owner: text({ maxLength: 10, nonEmpty: true, noControl: true }),
  pets: list(plainObject({ name: v.string(), legs: wholeNumber(0, 8), kind: oneOf(['cat', 'dog']) }), 3),
});

function sentence(input: unknown): string {
  const result = check(schema, input);
  if (result.ok) throw new Error('expected a problem');
  return `${pathText(result.problem.path)} | ${problemSentence(result.problem, PLACES, input)}`;
}

const pet = (name: string, legs: unknown = 4, kind: unknown = 'cat') => ({ name, legs, kind });

describe('schema problems as sentences', () => {
  it('names a missing top-level field by its words and its key', () => {
    expect(sentence({ pets: [] })).toBe('owner | this file is not a pet list: it has no owner (field "owner")');
  });

  it('names list items from 1, with their name, and the problem as a predicate', () => {
    expect(sentence({ owner: 'Ann', pets: [pet('Rex'), pet('Tom', 2.5)] })).toBe(
      'pets[1].legs | pet 2 (Tom): legs should be a whole number from 0 to 8, but is 2.5',
    );
    expect(sentence({ owner: 'Ann', pets: [pet('Rex', 4, 'cow')] })).toBe(
      'pets[0].kind | pet 1 (Rex): kind should be one of "cat", "dog", but is "cow"',
    );
    expect(sentence({ owner: 'Ann', pets: [{ legs: 4, kind: 'cat' }] })).toBe('pets[0].name | pet 1: name is missing');
    expect(sentence({ owner: 'Ann', pets: [7] })).toBe('pets[0] | pet 1 should be an object, but is 7');
  });

  it('counts a list before checking its items', () => {
    expect(sentence({ owner: 'Ann', pets: [1, 2, 3, 4] })).toBe(
      'pets | pet list (field "pets") has too many entries (4; at most 3)',
    );
  });

  it('words text rules', () => {
    expect(sentence({ owner: 'Ann Smith-Jones', pets: [] })).toBe(
      'owner | owner (field "owner") is too long (15 characters; at most 10)',
    );
    expect(sentence({ owner: '  ', pets: [] })).toBe('owner | owner (field "owner") is empty');
    expect(sentence({ owner: 'A\tnn', pets: [] })).toBe(
      'owner | owner (field "owner") contains a control character (U+0009) at position 1',
    );
  });

  it('explains a wrong root and renames JSON references inside a statement', () => {
    expect(sentence([])).toBe(' | this file is not a pet list: it should be an object, but is a list of 0');
    const statement = { path: ['pets', 1], text: 'same name as pets[0]', form: 'statement' as const };
    expect(problemSentence(statement, PLACES, { pets: [pet('Rex'), pet('Rex')] })).toBe(
      'pet 2 (Rex): same name as pet 1',
    );
  });

  it('round-trips JSON paths and describes values briefly', () => {
    for (const path of [['classes', 2], ['images', 11, 'embedding'], ['config', 'templates', 4], []]) {
      expect(parsePathText(pathText(path))).toEqual(path);
    }
    expect(pathText(['images', 11, 'embedding'])).toBe('images[11].embedding');
    expect(describeValue('x'.repeat(41))).toBe('a text of 41 characters');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue([1, 2])).toBe('a list of 2');
    expect(nth('class', 0, 'landbird')).toBe('class 1 (landbird)');
    expect(nth('class', 0, ' ')).toBe('class 1');
    expect(valueAt({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(valueAt({ a: 1 }, ['a', 'b'])).toBeUndefined();
  });
});
