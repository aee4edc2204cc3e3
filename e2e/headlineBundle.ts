/**
 * `node --import tsx e2e/headlineBundle.ts <out.json> <story|tie>`: a sage-embeddings/1 bundle whose accuracies are
 * chosen, for the headline e2e (issue 12 §1). Every group g has its own axis e_g; an image of g is e_g plus noise
 * on axes no text uses, and the prompt of (template t, class c) has cosine SCORES[t][g][c] with e_g, so each
 * template's prediction and class separation per group are set here:
 * - the zero-shot template (the last one: the app clamps its default index 39 to the pool) reads the background,
 *   so it gets landbird / water wrong (0 %), and in "tie" also waterbird / land;
 * - "a drawing" separates the classes most on those groups and gets them right, so SAGE at K = 1 fixes them;
 * - "a painting" and "a sketch" get them wrong with almost as much separation, so K = 3 undoes the fix.
 * "story": one landbird / land image looks like a landbird on water, so zero-shot scores 29/30 there.
 * "tie": waterbird / land has 4 images (too few to judge), landbird / sky 10, and waterbird / sky none (missing).
 */
import { writeFileSync } from 'node:fs';
import { serializeBundle } from '../src/core/bundle';

const [out, variant] = process.argv.slice(2);
if (!out || (variant !== 'story' && variant !== 'tie'))
  throw new Error('usage: headlineBundle.ts <out.json> <story|tie>');

const classes = ['landbird', 'waterbird'];
const templates = ['a drawing of a {}.', 'a painting of a {}.', 'a sketch of a {}.', 'a photo of a {}.'];
type Scores = [landbird: number, waterbird: number];
/** per group: the [landbird, waterbird] cosine of each template's prompts, in template order */
const right = (cls: string, margin: number): Scores => (cls === 'landbird' ? [0.2 + margin, 0.2] : [0.2, 0.2 + margin]);
const wrong = (cls: string, margin: number): Scores => right(cls === 'landbird' ? 'waterbird' : 'landbird', margin);
/** a group zero-shot gets right: every template right, the photo template separating most */
const easy = (cls: string): Scores[] => [right(cls, 0.03), right(cls, 0.03), right(cls, 0.03), right(cls, 0.2)];
/** a group zero-shot gets wrong: the drawing fixes it at K = 1, painting + sketch outvote it at K = 3 */
const hard = (cls: string): Scores[] => [right(cls, 0.4), wrong(cls, 0.35), wrong(cls, 0.35), wrong(cls, 0.1)];

interface Group {
  class: string;
  attribute: string;
  n: number;
  scores: Scores[];
  /** images of this group embedded like another group (by index into GROUPS) */
  lookLike?: { group: number; count: number };
}
const GROUPS: Group[] =
  variant === 'story'
    ? [
        { class: 'landbird', attribute: 'land', n: 30, scores: easy('landbird'), lookLike: { group: 1, count: 1 } },
        { class: 'landbird', attribute: 'water', n: 12, scores: hard('landbird') },
        { class: 'waterbird', attribute: 'land', n: 12, scores: easy('waterbird') },
        { class: 'waterbird', attribute: 'water', n: 30, scores: easy('waterbird') },
      ]
    : [
        { class: 'landbird', attribute: 'land', n: 12, scores: easy('landbird') },
        { class: 'landbird', attribute: 'sky', n: 10, scores: easy('landbird') },
        { class: 'landbird', attribute: 'water', n: 12, scores: hard('landbird') },
        { class: 'waterbird', attribute: 'land', n: 4, scores: hard('waterbird') },
        { class: 'waterbird', attribute: 'water', n: 12, scores: easy('waterbird') },
      ];

const dim = 16;
const FILLER = dim - 1; // the text axis no image uses: makes every prompt a unit vector
const text = new Float32Array(templates.length * classes.length * dim);
templates.forEach((_, t) =>
  classes.forEach((_, c) => {
    const row = (t * classes.length + c) * dim;
    let squares = 0;
    GROUPS.forEach((g, gi) => {
      text[row + gi] = g.scores[t][c];
      squares += g.scores[t][c] ** 2;
    });
    if (squares >= 1) throw new Error('scores too large for unit prompts');
    text[row + FILLER] = Math.sqrt(1 - squares);
  }),
);

let seed = 11;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648 - 0.5;
};
const images: { id: string; class: string; attribute: string }[] = [];
const vectors: number[] = [];
GROUPS.forEach((g, gi) => {
  for (let i = 0; i < g.n; i++) {
    images.push({
      id: `${g.class}/${g.attribute}/${String(i).padStart(3, '0')}.jpg`,
      class: g.class,
      attribute: g.attribute,
    });
    const axis = g.lookLike && i < g.lookLike.count ? g.lookLike.group : gi;
    const v = new Array<number>(dim).fill(0);
    v[axis] = 1;
    // noise on axes 8..13 (no prompt uses them): a spread-out embedding map, the same predictions
    for (let d = 8; d < 14; d++) v[d] = 0.3 * rand();
    const norm = Math.hypot(...v);
    vectors.push(...v.map((x) => x / norm));
  }
});

writeFileSync(
  out,
  serializeBundle({
    format: 'sage-embeddings/1',
    model: 'synthetic-headline',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings: Float32Array.from(vectors),
  }),
);
