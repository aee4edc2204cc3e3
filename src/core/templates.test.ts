import { describe, expect, it } from 'vitest';
import {
  CLIP_TEMPLATES,
  buildGroupPrompts,
  buildPrompts,
  fillTemplate,
  validateClasses,
  validateGroupPromptPattern,
  validateTemplates,
} from './templates';

describe('templates', () => {
  it('holds the 80 CLIP templates in the shared order, each with one placeholder', () => {
    expect(CLIP_TEMPLATES).toHaveLength(80);
    // first, last and a few well-known positions of the standard OpenAI list
    expect(CLIP_TEMPLATES[0]).toBe('a bad photo of a {}.');
    expect(CLIP_TEMPLATES[79]).toBe('a tattoo of the {}.');
    expect(CLIP_TEMPLATES[39]).toBe('a photo of a {}.');
    expect(validateTemplates(CLIP_TEMPLATES)).toEqual([]);
  });

  it('fills every placeholder', () => {
    expect(fillTemplate('a photo of a {}.', 'waterbird')).toBe('a photo of a waterbird.');
    expect(fillTemplate('{} and {}', 'x')).toBe('x and x');
  });

  it('builds prompts template-major', () => {
    expect(buildPrompts(['a {}', 'the {}!'], ['cat', 'dog', 'eel'])).toEqual([
      'a cat',
      'a dog',
      'a eel',
      'the cat!',
      'the dog!',
      'the eel!',
    ]);
  });

  it('names the template and class fields that are wrong', () => {
    expect(validateTemplates(['a {}', 'no placeholder', 'a {}'])).toEqual([
      { field: 'templates[1]', message: expect.stringContaining('no "{}"') },
      { field: 'templates[2]', message: expect.stringContaining('duplicate of templates[0]') },
    ]);
    expect(validateTemplates([])[0].field).toBe('templates');
    expect(validateClasses(['cat', '', 'cat']).map((e) => e.field)).toEqual(['classes[1]', 'classes[2]']);
    expect(validateClasses(['only'])[0].field).toBe('classes');
    expect(validateClasses(['a', 'b'])).toEqual([]);
  });

  it('builds one group prompt per (class, attribute), class-major', () => {
    expect(buildGroupPrompts('a {class} on {attribute}', ['landbird', 'waterbird'], ['land', 'water'])).toEqual([
      { class: 'landbird', attribute: 'land', prompt: 'a landbird on land' },
      { class: 'landbird', attribute: 'water', prompt: 'a landbird on water' },
      { class: 'waterbird', attribute: 'land', prompt: 'a waterbird on land' },
      { class: 'waterbird', attribute: 'water', prompt: 'a waterbird on water' },
    ]);
    expect(validateGroupPromptPattern('a {class}').map((e) => e.message)).toEqual(['pattern has no "{attribute}"']);
  });
});
