import { describe, expect, it } from 'vitest';
import { datasetSetup, describeChanges, setupChanges, staleSentence, type DatasetSetupInput } from './staleness';

const image = (id: string) => {
  const [classFolder, attributeFolder] = id.split('/');
  return { id, classFolder, attributeFolder };
};

function dataset(patch: Partial<DatasetSetupInput> = {}): DatasetSetupInput {
  return {
    images: ['landbird/land/0.jpg', 'landbird/water/0.jpg', 'waterbird/land/0.jpg', 'waterbird/water/0.jpg'].map(image),
    classText: {},
    attributeText: {},
    templates: ['a photo of a {}.', 'art of a {}.'],
    groupPromptPattern: 'a photo of a {class} on {attribute}.',
    ...patch,
  };
}

function run(patch: Partial<DatasetSetupInput> = {}) {
  const setup = datasetSetup(dataset(patch), 'local:tiny-clip', 'fp32');
  if (!setup) throw new Error('expected a setup');
  return setup;
}

describe('datasetSetup', () => {
  it('records class strings, attribute words, templates, pattern, model and the labelled images', () => {
    const setup = run({ classText: { waterbird: 'a bird on a lake' }, attributeText: { water: 'a lake' } });
    expect(setup.classes).toEqual(['landbird', 'a bird on a lake']);
    expect(setup.attributes).toEqual(['land', 'a lake']);
    expect(setup.groupPromptPattern).toBe('a photo of a {class} on {attribute}.');
    expect(setup.images).toHaveLength(4);
  });
  it('no labelled image: no setup; no attributes: no pattern', () => {
    expect(datasetSetup(dataset({ images: [] }), 'm', 'q8')).toBeNull();
    const plain = datasetSetup(dataset({ images: ['a/', 'b/'].map(image) }), 'm', 'q8');
    expect(plain?.groupPromptPattern).toBeUndefined();
    expect(plain?.attributes).toEqual([]);
  });
});

describe('setupChanges', () => {
  const before = run();
  it('nothing changed: no changes (view settings are not part of the setup)', () => {
    expect(setupChanges(before, run())).toEqual([]);
  });
  it('names each kind of change', () => {
    expect(setupChanges(before, run({ classText: { landbird: 'a bird on land' } }))).toEqual(['classes']);
    expect(setupChanges(before, run({ attributeText: { land: 'grass' } }))).toEqual(['attributes']);
    expect(setupChanges(before, run({ templates: ['a photo of a {}.'] }))).toEqual(['templates']);
    expect(setupChanges(before, run({ groupPromptPattern: '{class} in {attribute}' }))).toEqual(['groupPromptPattern']);
    expect(setupChanges(before, datasetSetup(dataset(), 'local:other', 'fp32'))).toEqual(['model']);
    expect(setupChanges(before, datasetSetup(dataset(), 'local:tiny-clip', 'q8'))).toEqual(['precision']);
  });
  it('images added, removed or relabelled change the images', () => {
    const images = dataset().images;
    expect(setupChanges(before, run({ images: [...images, image('landbird/land/1.jpg')] }))).toEqual(['images']);
    expect(setupChanges(before, run({ images: images.slice(1).concat(image('landbird/water/9.jpg')) }))).toEqual([
      'images',
    ]);
    const relabelled = images.map((i) => (i.id === 'landbird/water/0.jpg' ? { ...i, attributeFolder: 'land' } : i));
    expect(setupChanges(before, run({ images: relabelled }))).toContain('images');
    // untagged images are not part of a run
    expect(
      setupChanges(before, run({ images: [...images, { id: 'x.jpg', classFolder: '', attributeFolder: '' }] })),
    ).toEqual([]);
  });
  it('several changes in banner order', () => {
    expect(setupChanges(before, run({ templates: ['{}'], classText: { landbird: 'x' } }))).toEqual([
      'classes',
      'templates',
    ]);
  });
  it('an emptied panel: a run changed in its images; opened results are not compared', () => {
    expect(setupChanges(before, null)).toEqual(['images']);
    const opened = { classes: ['landbird', 'waterbird'], attributes: ['land', 'water'], templates: before.templates };
    expect(setupChanges(opened, null)).toEqual([]);
    // fields the file does not record (model, images) are not compared
    expect(setupChanges(opened, datasetSetup(dataset(), 'local:other', 'q8'))).toEqual([]);
    expect(setupChanges(opened, run({ classText: { landbird: 'x' } }))).toEqual(['classes']);
  });
});

describe('sentences', () => {
  it('one, two and three changes', () => {
    expect(describeChanges(['classes'])).toBe('the class strings');
    expect(describeChanges(['classes', 'templates'])).toBe('the class strings and the templates');
    expect(describeChanges(['classes', 'templates', 'model'])).toBe('the class strings, the templates and the model');
    expect(staleSentence(['classes'])).toBe(
      'These results are from the setup before your change to the class strings. Run again to update them.',
    );
    expect(staleSentence(['images', 'model'])).toContain('before your changes to the images and the model.');
    expect(staleSentence(['classes', 'templates'], 'bundle')).toBe(
      'These results come from the embeddings bundle, whose class strings and templates differ from those in your panels. Run again to get results for yours.',
    );
    expect(staleSentence(['model'], 'report')).toBe(
      'These results come from the report, whose model differs from the one in your panels. Run again to get results for yours.',
    );
  });
});
