/**
 * The UI benchmark's data: a deterministic sage-embeddings/1 bundle of N images, C classes × 2 attributes and the
 * 80 CLIP templates, with group prompts and every SPEC §7 text, so all ten rows of the comparison table compute
 * (the K-independent ones must not slow a K change down, so they have to be there to be measured).
 * Image = class direction + attribute direction (80 % of a class on its usual attribute) + noise; each template
 * leans by its own amount towards the attribute its class usually shows, so SAGE, random and zero-shot disagree
 * and every K changes some predictions.
 */
import { writeFileSync } from 'node:fs';
import { CLIP_TEMPLATES, mulberry32, serializeBundle, type EmbeddingBundle } from '../src/core';
import { DEFAULT_GROUP_PROMPT_PATTERN } from '../src/core/config';
import { attributeMethodTexts } from '../src/state/derive/views';
import { DEFAULT_METHOD_SETTINGS } from '../src/state/methodSettings';

export const UI_BUNDLE_CLASSES = [
  'sparrow',
  'heron',
  'eagle',
  'duck',
  'owl',
  'gull',
  'crow',
  'swan',
  'finch',
  'pelican',
] as const;
export const UI_BUNDLE_ATTRIBUTES = ['land', 'water'] as const;

export interface UiBundleOptions {
  n: number;
  /** classes (at most UI_BUNDLE_CLASSES.length) */
  c: number;
  /** templates, the first of the 80 CLIP templates */
  m: number;
  dim: number;
  seed?: number;
}

export function uiBundle({ n, c, m, dim, seed = 12 }: UiBundleOptions): EmbeddingBundle {
  const classes = UI_BUNDLE_CLASSES.slice(0, c);
  const attributes = [...UI_BUNDLE_ATTRIBUTES];
  if (classes.length < c || m > CLIP_TEMPLATES.length || dim < c + attributes.length) {
    throw new Error(`uiBundle: at most ${UI_BUNDLE_CLASSES.length} classes and 80 templates; dim ≥ classes + 2`);
  }
  const templates = CLIP_TEMPLATES.slice(0, m);
  const next = mulberry32(seed);
  const noise = () => next() * 2 - 1;
  // directions: class k on axis k, attribute a on axis c + a; the rest is noise
  const usualAttribute = (cls: number) => cls % 2;
  const vector = (cls: number | null, attribute: number | null, classWeight: number, attributeWeight: number) => {
    const out = new Float32Array(dim);
    for (let d = 0; d < dim; d++) out[d] = 0.3 * noise();
    if (cls !== null) out[cls] += classWeight;
    if (attribute !== null) out[c + attribute] += attributeWeight;
    return out;
  };
  const text = new Float32Array(m * c * dim);
  for (let t = 0; t < m; t++) {
    const lean = (t % 7) / 6; // 0 … 1
    for (let cls = 0; cls < c; cls++) text.set(vector(cls, usualAttribute(cls), 1, lean), (t * c + cls) * dim);
  }
  const images: EmbeddingBundle['images'] = [];
  const imageEmbeddings = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const cls = i % c;
    const attribute = next() < 0.8 ? usualAttribute(cls) : 1 - usualAttribute(cls);
    const id = `${classes[cls]}/${attributes[attribute]}/${String(i).padStart(5, '0')}.jpg`;
    images.push({ id, class: classes[cls], attribute: attributes[attribute] });
    imageEmbeddings.set(vector(cls, attribute, 0.6, 0.8), i * dim);
  }
  // texts name a class and/or an attribute word; their embeddings point the same way
  const embedText = (textValue: string) => {
    const cls = classes.findIndex((name) => textValue.includes(name));
    const attribute = attributes.findIndex((word) => textValue.includes(word));
    return vector(cls >= 0 ? cls : null, attribute >= 0 ? attribute : null, 1, 1);
  };
  const groupPrompts = classes.flatMap((name) =>
    attributes.map((attribute) => {
      const prompt = DEFAULT_GROUP_PROMPT_PATTERN.replace('{class}', name).replace('{attribute}', attribute);
      return { class: name, attribute, prompt, embedding: embedText(prompt) };
    }),
  );
  const groupTexts = new Set(groupPrompts.map((g) => g.prompt));
  // the app's default settings: the texts a run would embed up front
  const prompts = attributeMethodTexts(classes, attributes, {
    ...DEFAULT_METHOD_SETTINGS,
    groupPromptPattern: DEFAULT_GROUP_PROMPT_PATTERN,
  })
    .filter((textValue) => !groupTexts.has(textValue))
    .map((textValue) => ({ text: textValue, embedding: embedText(textValue) }));
  return {
    format: 'sage-embeddings/1',
    model: 'synthetic-ui-bench',
    dim,
    classes: [...classes],
    templates: [...templates],
    text,
    images,
    imageEmbeddings,
    groupPrompts,
    prompts,
  };
}

export function writeUiBundle(path: string, options: UiBundleOptions): void {
  writeFileSync(path, serializeBundle(uiBundle(options), { vectors: 'base64' }));
}
