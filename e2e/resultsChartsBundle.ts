/**
 * `node --import tsx e2e/resultsChartsBundle.ts <out.json> <birds|tiny>`: a deterministic sage-embeddings/1
 * bundle whose accuracies are chosen, for the results-charts spec.
 *
 * birds: landbird/waterbird × land/water with the 80 CLIP templates. Template 39 ("a photo of a {}.", the
 * zero-shot default) leans on the background, so zero-shot scores 0 % on landbird/water and 100 % elsewhere;
 * template 0 separates the classes cleanly and has the largest separation exactly where template 39 fails, so
 * SAGE (K = 1) scores 100 % on every group (a four-way tie for worst) and every SAGE δ is 0.
 * tiny: two images of one group (too few for a map, no attribute to compare).
 */
import { writeFileSync } from 'node:fs';
import { serializeBundle } from '../src/core/bundle';
import TEMPLATES from '../src/core/clipTemplates.json' with { type: 'json' };

const [out, variant = 'birds'] = process.argv.slice(2);
if (!out || (variant !== 'birds' && variant !== 'tiny')) {
  throw new Error('usage: resultsChartsBundle.ts <out.json> <birds|tiny>');
}

const DIM = 8;
// axes: 0 landbird, 1 waterbird, 2 land, 3 water, 4–5 unused by the images, 6–7 jitter
const LANDBIRD = 0;
const WATERBIRD = 1;
const LAND = 2;
const WATER = 3;

function unit(entries: [number, number][]): Float32Array {
  const v = new Float32Array(DIM);
  for (const [axis, value] of entries) v[axis] += value;
  let norm = 0;
  for (let d = 0; d < DIM; d++) norm += v[d] * v[d];
  norm = Math.sqrt(norm);
  for (let d = 0; d < DIM; d++) v[d] /= norm;
  return v;
}

const classes = ['landbird', 'waterbird'];
const templates: string[] = TEMPLATES;
const text = new Float32Array(templates.length * classes.length * DIM);
templates.forEach((_, t) => {
  const [land, water] =
    t === 39
      ? // zero-shot: class plus background
        [
          unit([
            [LANDBIRD, 1],
            [LAND, 1],
          ]),
          unit([
            [WATERBIRD, 1],
            [WATER, 1],
          ]),
        ]
      : t === 0
        ? // clean: the class alone
          [unit([[LANDBIRD, 1]]), unit([[WATERBIRD, 1]])]
        : // everything else barely separates the classes (never SAGE's first pick)
          [
            unit([
              [LANDBIRD, 1],
              [WATERBIRD, 1],
              [4, 0.05 + t / 4000],
            ]),
            unit([
              [LANDBIRD, 1],
              [WATERBIRD, 1],
              [5, 0.05],
            ]),
          ];
  text.set(land, t * 2 * DIM);
  text.set(water, (t * 2 + 1) * DIM);
});

const groups: [string, string, number][] =
  variant === 'birds'
    ? [
        ['landbird', 'land', 12],
        ['landbird', 'water', 6],
        ['waterbird', 'land', 5],
        ['waterbird', 'water', 10],
      ]
    : [['landbird', 'land', 2]];

let seed = 11;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const images: { id: string; class: string; attribute: string }[] = [];
const vectors: Float32Array[] = [];
for (const [cls, attribute, count] of groups) {
  for (let i = 0; i < count; i++) {
    images.push({ id: `${cls}/${attribute}/${String(i).padStart(3, '0')}.jpg`, class: cls, attribute });
    const background = attribute === 'land' ? LAND : WATER;
    // landbirds on water show a lot of water (zero-shot's trap); elsewhere the background is modest
    const strength = cls === 'landbird' && attribute === 'water' ? 1.5 : 0.5;
    vectors.push(
      unit([
        [cls === 'landbird' ? LANDBIRD : WATERBIRD, 1],
        [background, strength + rand() * 0.1],
        [6, rand() * 0.2],
        [7, rand() * 0.2],
      ]),
    );
  }
}
const imageEmbeddings = new Float32Array(images.length * DIM);
vectors.forEach((v, i) => imageEmbeddings.set(v, i * DIM));

writeFileSync(
  out,
  serializeBundle({
    format: 'sage-embeddings/1',
    model: 'synthetic-birds',
    dim: DIM,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
  }),
);
