/**
 * The candidate attribute words of discovery (METHODS §5 step 1): a default list written for this project
 * (no third-party list, so no licence to carry), parsing a user's list, dropping words that name a class, and
 * the prompt texts a word is embedded with.
 */
import { fillTemplate } from './templates';

/** B2T's prompt for a vocabulary word. */
export const VOCABULARY_TEMPLATE = 'a photo of a {}.';

const SCENES = `
  water, land, ocean, sea, beach, lake, river, pond, waterfall, wave, shore, harbor, boat, swamp, marsh,
  wetland, reeds, island, coral reef, underwater, ice, snow, glacier, iceberg, forest, woods, jungle,
  rainforest, bamboo, bamboo forest, tree, trees, tree branch, leaves, pine tree, palm tree, bush,
  grass, lawn, meadow, field, farm, wheat field, garden, flowers, park, hill, mountain, valley,
  cliff, rock, rocks, cave, canyon, desert, sand, sand dune, dirt, mud, soil, gravel, savanna,
  prairie, tundra, volcano, sky, blue sky, clouds, cloudy sky, sunset, sunrise, rainbow, horizon,
  city, street, road, highway, bridge, building, skyscraper, house, roof, wall, brick wall, fence,
  window, door, stairs, sidewalk, parking lot, railway, train station, airport, runway, market, shop,
  restaurant, kitchen, living room, bedroom, bathroom, office, classroom, library, hospital, church,
  temple, castle, ruins, stadium, playground, swimming pool, gym, stage, studio, indoors, outdoors,
  countryside, village, barn, zoo, cage, aquarium, museum, laboratory, factory, warehouse,
  construction site, tunnel, alley, courtyard, balcony, porch, backyard
`;

const COLOURS = `
  black, white, gray, red, orange, yellow, green, blue, purple, pink, brown, beige, gold, silver,
  dark green, light blue, dark blue, turquoise, colorful, black and white, pastel colors, monochrome,
  sepia
`;

const TEXTURES = `
  striped, spotted, dotted, checkered, plaid, patterned, plain, furry, fluffy, feathered, scaly,
  smooth, rough, shiny, glossy, matte, metallic, wooden, wood, plastic, glass, stone, concrete,
  fabric, leather, paper, cardboard, wet, dry, dusty, rusty, muddy, frozen, transparent, reflective,
  textured, wrinkled, knitted, woven, grainy, pixelated
`;

const LIGHTING = `
  bright, dark, dim light, sunlight, sunny, shade, shadow, night, daytime, dusk, dawn, golden hour,
  overexposed, underexposed, backlit, silhouette, flash photography, artificial light, neon lights,
  candlelight, fog, mist, haze, rain, storm, snowfall, blurry, out of focus, motion blur,
  sharp focus, close-up, wide shot, aerial view, low angle, high angle, black background,
  white background, plain background, cluttered background, studio lighting, low contrast,
  high contrast, vintage photo, cartoon, drawing, painting, sketch, illustration, sculpture, toy,
  screenshot, text, watermark, logo, sign, poster, frame, border, collage
`;

const OBJECTS = `
  person, hand, fingers, face, crowd, fisherman, hunter, dog, cat, horse, cow, sheep, bird, fish,
  insect, butterfly, bee, spider, snake, frog, duck, chicken, car, truck, bus, bicycle, motorcycle,
  airplane, ship, train, tractor, wheel, tire, chair, table, bench, bed, sofa, carpet, curtain, lamp,
  bottle, cup, plate, bowl, food, fruit, vegetables, bread, meat, box, bag, basket, net, fishing rod,
  rope, pole, wire, cable, pipe, bucket, tool, computer, phone, screen, keyboard, book, toy ball,
  umbrella, tent, flag, clock, mirror, vase, pot, feeder, birdhouse, nest, egg, feather, bone, log,
  stick, twig, stump, hay, straw, moss, lichen, seaweed, algae, shell, pebbles, puddle, dock, pier,
  sailboat, kayak, surfboard, lifeguard, ruler, measuring tape, microscope slide, medical chart,
  label, tag, price tag, banner, graffiti, traffic light, street lamp, car tire, glove, cage bars,
  leash, collar, saddle, harness
`;

const PEOPLE = `
  man, woman, boy, girl, child, baby, teenager, old man, old woman, young person, elderly person,
  blond hair, dark hair, red hair, gray hair, bald, long hair, short hair, curly hair, beard,
  mustache, glasses, sunglasses, hat, cap, helmet, hood, scarf, tie, earrings, necklace, makeup,
  lipstick, smile, smiling, frowning, open mouth, eyes closed, tattoo, uniform, suit, dress, shirt,
  jacket, coat, sweater, jeans, shorts, skirt, swimsuit, boots, sneakers, backpack, wheelchair,
  athlete, soldier, doctor, nurse, chef, police officer, worker, farmer, student, dancer, musician,
  tourist, couple, family, group of people, selfie, portrait, profile view, side view, back view,
  pale skin, dark skin, tanned skin, wrinkles, freckles
`;

/** The default vocabulary: scenes and backgrounds, colours, textures, lighting and style, objects, people. */
export const DEFAULT_VOCABULARY: readonly string[] = Object.freeze(
  parseVocabulary([SCENES, COLOURS, TEXTURES, LIGHTING, OBJECTS, PEOPLE].join(',')),
);

/** Trimmed, empties dropped, the first spelling of each case-insensitive duplicate kept, order kept. */
function dedupeWords(words: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of words) {
    const word = raw.trim().replace(/\s+/g, ' ');
    const key = word.toLowerCase();
    if (word === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

/**
 * A user's word list: one word per line and/or comma-separated. Words are trimmed (inner runs of spaces become
 * one), empty entries dropped, case-insensitive duplicates dropped (the first spelling kept), order kept.
 */
export function parseVocabulary(text: string): string[] {
  return dedupeWords(text.replace(/^\uFEFF/, '').split(/[\r\n,]+/));
}

/** Lower-case words of a phrase, split on anything that is not a letter or a digit. */
function tokens(phrase: string): string {
  return ` ${phrase
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t !== '')
    .join(' ')} `;
}

/** A vocabulary word dropped because it names (part of) a class. */
export interface DroppedWord {
  word: string;
  class: string;
}

/**
 * METHODS §5 step 1: drops a word that equals, contains or is contained in a class string (Yang et al. drop
 * class names). Matching is by whole words, case-insensitive: "bird" is dropped for the class "water bird" but
 * not for "waterbird" — otherwise "water" and "land", the very attributes to find, would vanish for
 * Waterbirds' classes "waterbird" and "landbird".
 */
export function dropClassWords(
  words: readonly string[],
  classes: readonly string[],
): { kept: string[]; dropped: DroppedWord[] } {
  const classTokens = classes.map((cls) => ({ cls, t: tokens(cls) }));
  const kept: string[] = [];
  const dropped: DroppedWord[] = [];
  for (const word of words) {
    const w = tokens(word);
    const hit = w.trim() === '' ? undefined : classTokens.find(({ t }) => t.includes(w) || w.includes(t));
    if (hit === undefined) kept.push(word);
    else dropped.push({ word, class: hit.cls });
  }
  return { kept, dropped };
}

/**
 * The texts a word is embedded from: one per template ("{}" → the word). One template (default B2T's
 * `a photo of a {}.`) gives e_v directly; several give the template ensemble (mean of unit embeddings,
 * renormalised — see `vocabularyEmbeddings`).
 */
export function vocabularyPromptTexts(
  words: readonly string[],
  templates: readonly string[] = [VOCABULARY_TEMPLATE],
): string[] {
  const texts: string[] = [];
  for (const word of words) for (const template of templates) texts.push(fillTemplate(template, word));
  return texts;
}

/** The vocabulary's word vectors e_v from stored text embeddings, and what is missing. */
export interface VocabularyEmbeddings {
  /** the words whose every prompt was found, in the given order */
  words: string[];
  /** words.length × dim unit rows */
  embeddings: Float32Array;
  /** prompt texts not found (their words are left out of `words`) */
  missing: string[];
}

/**
 * e_v per word: the unit embedding of its one prompt, or with several templates the mean of the unit template
 * embeddings, renormalised (the 80-template ensemble option). `lookup` gives a stored text embedding by text.
 */
export function vocabularyEmbeddings(
  words: readonly string[],
  dim: number,
  lookup: (text: string) => Float32Array | undefined,
  templates: readonly string[] = [VOCABULARY_TEMPLATE],
): VocabularyEmbeddings {
  const found: string[] = [];
  const rows: number[][] = [];
  const missing: string[] = [];
  const sum = new Float64Array(dim);
  for (const word of words) {
    sum.fill(0);
    let complete = true;
    for (const template of templates) {
      const text = fillTemplate(template, word);
      const embedding = lookup(text);
      if (embedding === undefined) {
        missing.push(text);
        complete = false;
        continue;
      }
      let sq = 0;
      for (let d = 0; d < dim; d++) sq += embedding[d] * embedding[d];
      const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
      for (let d = 0; d < dim; d++) sum[d] += embedding[d] * inv;
    }
    if (!complete) continue;
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += sum[d] * sum[d];
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    found.push(word);
    rows.push(Array.from(sum, (x) => x * inv));
  }
  const embeddings = new Float32Array(found.length * dim);
  rows.forEach((row, i) => embeddings.set(row, i * dim));
  return { words: found, embeddings, missing };
}
