/**
 * Seeded random bundles for the SPEC §7 methods: C classes, S attribute words, three templates ("a photo of a
 * {}." first, so it is the zero-shot template), group prompts with the default pattern, and `prompts` holding
 * the default phrasings of every attribute word (plus any accept phrases asked for). Images lean on their class
 * and attribute directions so the methods genuinely disagree.
 */
import {
  DEFAULT_GROUP_PROMPT_PATTERN,
  DEFAULT_PHRASINGS,
  type EmbeddingBundle,
  attributePhrases,
  buildGroupPrompts,
  mulberry32,
} from '../src/core';

export interface AttributeBundleOptions {
  seed: number;
  dim: number;
  classes: number;
  attributes: number;
  n?: number;
  /** accept phrases to embed as well */
  acceptPhrases?: string[];
  /** leave `prompts` out (the group prompts stay) */
  withoutPrompts?: boolean;
}

const CLASS_NAMES = ['landbird', 'waterbird', 'seabird', 'owl'];
const ATTRIBUTE_NAMES = ['land', 'water', 'snow', 'sand'];

export function attributeBundle(options: AttributeBundleOptions): EmbeddingBundle {
  const { seed, dim } = options;
  const n = options.n ?? 60;
  const next = mulberry32(seed);
  // roughly normal noise: the sum of three uniforms, centred
  const noise = () => next() + next() + next() - 1.5;
  const randomVector = (scale = 1) => Float32Array.from({ length: dim }, () => scale * noise());
  const classes = CLASS_NAMES.slice(0, options.classes);
  const attributes = ATTRIBUTE_NAMES.slice(0, options.attributes);
  const classDirections = classes.map(() => randomVector());
  const attributeDirections = attributes.map(() => randomVector());
  const mix = (parts: [Float32Array, number][], noiseScale: number) => {
    const v = randomVector(noiseScale);
    for (const [direction, weight] of parts) for (let d = 0; d < dim; d++) v[d] += weight * direction[d];
    return v;
  };
  const templates = ['a photo of a {}.', 'a bad photo of a {}.', 'art of a {}.'];
  const text = new Float32Array(templates.length * classes.length * dim);
  templates.forEach((_, t) =>
    classes.forEach((__, c) => {
      // each template leans a little on one attribute, as real prompts do
      const lean = attributeDirections[(t + c) % attributes.length];
      text.set(
        mix(
          [
            [classDirections[c], 1],
            [lean, 0.3],
          ],
          0.4,
        ),
        (t * classes.length + c) * dim,
      );
    }),
  );
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = i % classes.length;
    // mostly the class's "own" attribute (a spurious correlation), sometimes another
    const a = next() < 0.7 ? c % attributes.length : Math.floor(next() * attributes.length);
    images.push({ id: `${classes[c]}/${attributes[a]}/${i}.jpg`, class: classes[c], attribute: attributes[a] });
    imageEmbeddings.set(
      mix(
        [
          [classDirections[c], 0.6],
          [attributeDirections[a], 0.8],
        ],
        0.5,
      ),
      i * dim,
    );
  }
  const groupPrompts = buildGroupPrompts(DEFAULT_GROUP_PROMPT_PATTERN, classes, attributes).map((g) => ({
    ...g,
    embedding: mix(
      [
        [classDirections[classes.indexOf(g.class)], 1],
        [attributeDirections[attributes.indexOf(g.attribute)], 0.7],
      ],
      0.3,
    ),
  }));
  const bundle: EmbeddingBundle = {
    format: 'sage-embeddings/1',
    model: 'synthetic-attributes',
    dim,
    classes,
    templates,
    text,
    images,
    imageEmbeddings,
    groupPrompts,
  };
  if (!options.withoutPrompts) {
    const phraseTexts = attributes.flatMap((attribute, a) =>
      attributePhrases(DEFAULT_PHRASINGS, attribute).map((phrase) => ({
        text: phrase,
        embedding: mix([[attributeDirections[a], 1]], 0.4),
      })),
    );
    const acceptTexts = (options.acceptPhrases ?? []).map((phrase) => ({ text: phrase, embedding: randomVector() }));
    bundle.prompts = [...phraseTexts, ...acceptTexts];
  }
  return bundle;
}
