/**
 * `node --import tsx e2e/templatesViewBundle.ts <out.json>`: a deterministic sage-embeddings/1 bundle with the 80
 * CLIP templates where per-image picks beat every single template (issue 12 §3–4 e2e).
 *
 * Directions: e0 is shared by every prompt, e(1+t) is template t's class axis (+ = landbird). Each group has
 * three "expert" templates that separate its images strongly and correctly; every other template follows the
 * background weakly (land → landbird), so used alone it fails a minority group (WGA 0 %). A quarter of each
 * group's images also has a "decoy" template that separates them most and points the wrong way. Hence SAGE:
 * K = 1 and 2 → WGA 75 % (the decoy wins), K = 3 and 4 → 100 % (best K = 3), large K → the background wins.
 */
import { writeFileSync } from 'node:fs';
import { serializeBundle } from '../src/core/bundle';
import { CLIP_TEMPLATES } from '../src/core/templates';

const [out] = process.argv.slice(2);
if (!out) throw new Error('usage: templatesViewBundle.ts <out.json>');

const classes = ['landbird', 'waterbird'];
const m = CLIP_TEMPLATES.length;
const dim = 1 + m;
const groups = [
  { class: 'landbird', attribute: 'land', n: 40, experts: [3, 17, 52], decoy: 5 },
  { class: 'landbird', attribute: 'water', n: 12, experts: [9, 30, 66], decoy: 26 },
  { class: 'waterbird', attribute: 'land', n: 12, experts: [12, 44, 71], decoy: 48 },
  { class: 'waterbird', attribute: 'water', n: 40, experts: [21, 58, 77], decoy: 70 },
];

let seed = 99;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

// text row (t, c), template-major: e0 + 0.3·(±1)·e(1+t)
const text = new Float32Array(m * classes.length * dim);
for (let t = 0; t < m; t++) {
  for (let c = 0; c < classes.length; c++) {
    const row = (t * classes.length + c) * dim;
    text[row] = 1;
    text[row + 1 + t] = c === 0 ? 0.3 : -0.3;
  }
}

const images: { id: string; class: string; attribute: string }[] = [];
const embeddings: number[] = [];
for (const group of groups) {
  const label = group.class === 'landbird' ? 1 : -1;
  const background = group.attribute === 'land' ? 1 : -1;
  for (let i = 0; i < group.n; i++) {
    const vector = new Array<number>(dim).fill(0);
    vector[0] = 1;
    for (let t = 0; t < m; t++) {
      let alpha = background * (1 + 0.5 * rand());
      if (group.experts.includes(t)) alpha = label * (3 + 0.5 * rand());
      if (t === group.decoy && i % 4 === 0) alpha = -label * 3.9;
      vector[1 + t] = 0.05 * alpha;
    }
    images.push({
      id: `${group.class}/${group.attribute}/${String(i).padStart(4, '0')}.jpg`,
      class: group.class,
      attribute: group.attribute,
    });
    embeddings.push(...vector);
  }
}

writeFileSync(
  out,
  serializeBundle({
    format: 'sage-embeddings/1',
    model: 'synthetic-templates',
    dim,
    classes,
    templates: [...CLIP_TEMPLATES],
    text,
    images,
    imageEmbeddings: Float32Array.from(embeddings),
  }),
);
