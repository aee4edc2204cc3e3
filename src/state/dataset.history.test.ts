import { beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, useDataset } from './dataset';
import { matchExistingFolder } from './retag';

const blob = new Blob([]);

function labels(): string[] {
  return useDataset.getState().images.map((i) => `${i.id}:${i.classFolder}/${i.attributeFolder}`);
}

beforeEach(() => {
  useDataset.getState().clear();
  useDataset.getState().addIngested(
    {
      images: [
        { id: 'a', blob, classFolder: 'landbird', attributeFolder: 'land' },
        { id: 'b', blob, classFolder: 'landbird', attributeFolder: 'water' },
        { id: 'c', blob, classFolder: 'waterbird', attributeFolder: 'water' },
        { id: 'd', blob, classFolder: 'waterbird', attributeFolder: 'land' },
      ],
      skipped: [],
      notes: [],
      specials: [],
    },
    'test',
  );
});

describe('re-tag (issue 13 §4)', () => {
  it('trims and matches an existing class regardless of case instead of creating a third class', () => {
    const outcome = useDataset.getState().retag(['c', 'd'], 'Landbird ', '');
    expect(outcome).toEqual({ changed: 2, classFolder: 'landbird', attributeFolder: null });
    expect(labels()).toEqual(['a:landbird/land', 'b:landbird/water', 'c:landbird/water', 'd:landbird/land']);
  });

  it('an empty attribute box keeps each image its attribute; a typed one is matched too', () => {
    useDataset.getState().retag(['a'], 'waterbird');
    expect(labels()[0]).toBe('a:waterbird/land');
    useDataset.getState().retag(['a'], ' WATERBIRD', ' Water ');
    expect(labels()[0]).toBe('a:waterbird/water');
  });

  it('a new class is created from the trimmed text; nothing typed changes nothing', () => {
    expect(useDataset.getState().retag(['a'], '  sea  bird ').classFolder).toBe('sea bird');
    expect(useDataset.getState().retag(['b'], '   ').changed).toBe(0);
    expect(labels()[1]).toBe('b:landbird/water');
  });

  it('offers the existing spelling', () => {
    expect(matchExistingFolder('Landbird ', ['landbird', 'waterbird'])).toEqual({
      folder: 'landbird',
      suggestion: 'landbird',
    });
    expect(matchExistingFolder('landbird', ['landbird'])).toEqual({ folder: 'landbird', suggestion: null });
    expect(matchExistingFolder('heron', ['landbird'])).toEqual({ folder: 'heron', suggestion: null });
  });
});

describe('undo and redo', () => {
  it('undoes and redoes a re-tag, described in words', () => {
    const before = labels();
    useDataset.getState().retag(['a', 'b'], 'waterbird', 'water');
    const after = labels();
    expect(useDataset.getState().undoStack.at(-1)?.description).toBe('re-tag 2 images as waterbird / water');
    useDataset.getState().undo();
    expect(labels()).toEqual(before);
    expect(useDataset.getState().redoStack.at(-1)?.description).toBe('re-tag 2 images as waterbird / water');
    useDataset.getState().redo();
    expect(labels()).toEqual(after);
    expect(useDataset.getState().redoStack).toHaveLength(0);
  });

  it('undoes class string edits as one step per field, back to the folder name', () => {
    const state = useDataset.getState;
    state().editClassText('landbird', 'a');
    state().editClassText('landbird', 'a bird');
    state().editAttributeText('water', 'a lake');
    expect(state().undoStack.map((e) => e.description)).toEqual([
      'class string of landbird → “a bird”',
      'attribute words of water → “a lake”',
    ]);
    state().undo();
    expect(state().attributeText.water).toBeUndefined();
    state().undo();
    expect(state().classText.landbird).toBeUndefined();
    state().redo();
    expect(state().classText.landbird).toBe('a bird');
  });

  it('a new edit clears redo; the history keeps the last 50 edits; clear empties it', () => {
    const state = useDataset.getState;
    state().retag(['a'], 'waterbird');
    state().undo();
    state().retag(['b'], 'waterbird');
    expect(state().redoStack).toHaveLength(0);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) state().retag(['c'], i % 2 === 0 ? 'landbird' : 'waterbird');
    expect(state().undoStack).toHaveLength(HISTORY_LIMIT);
    state().clear();
    expect(state().undoStack).toHaveLength(0);
  });

  it('a re-tag that changes nothing is not an undo step', () => {
    useDataset.getState().retag(['a'], 'landbird', 'land');
    expect(useDataset.getState().undoStack).toHaveLength(0);
  });
});

describe('the other reading of a single class folder', () => {
  it('makes the attribute folders classes, undoably', () => {
    useDataset.getState().clear();
    useDataset.getState().addIngested(
      {
        images: [
          { id: 'p/cat/1.jpg', blob, classFolder: 'p', attributeFolder: 'cat' },
          { id: 'p/dog/2.jpg', blob, classFolder: 'p', attributeFolder: 'dog' },
        ],
        skipped: [],
        notes: [],
        specials: [],
      },
      'p',
    );
    expect(useDataset.getState().readAttributesAsClasses('p')).toBe(2);
    expect(labels()).toEqual(['p/cat/1.jpg:cat/', 'p/dog/2.jpg:dog/']);
    expect(useDataset.getState().undoStack.at(-1)?.description).toBe('read cat and dog as classes');
    useDataset.getState().undo();
    expect(labels()).toEqual(['p/cat/1.jpg:p/cat', 'p/dog/2.jpg:p/dog']);
  });
});
