/**
 * What each method knows beyond the class names, how it works in one line, and where it comes from
 * (SPEC §3, §7; METHODS.md §1–3, §6). The CLI's compare table, the app's badges and docs/methods.md read these.
 */
import type { MethodId } from './types';

/** The extra knowledge a method uses: none, the attribute words (e.g. "land", "water"), or per-image attribute labels. */
export type Knowledge = 'none' | 'attribute words' | 'attribute labels';

export const METHOD_KNOWLEDGE: Record<MethodId, Knowledge> = {
  zeroshot: 'none',
  ensemble: 'none',
  random: 'none',
  sage: 'none',
  groupprompt: 'attribute words',
  roboshot: 'attribute words',
  tiestar: 'attribute words',
  tie: 'attribute labels',
  orthproj: 'attribute words',
  orthcali: 'attribute words',
  // the ls variant; a vs adapter's row says 'attribute labels' (it learns from the training images' labels)
  adapter: 'attribute words',
};

/** One line each, for hover/focus in the app and for CLI help. */
export const METHOD_HOW_IT_WORKS: Record<MethodId, string> = {
  zeroshot: 'Classifies with one prompt template, "a photo of a {}." by default.',
  ensemble: 'Averages the text embeddings of every template in the pool, the same weights for every image.',
  random: 'Averages K templates drawn at random per image (seeded): the baseline SAGE must beat.',
  sage: 'Per image, averages the K templates that separate the classes most for that image.',
  groupprompt: 'One prompt per (class, attribute), e.g. "a photo of a landbird on water."; the best prompt wins.',
  roboshot:
    'Removes from each image embedding the directions between attribute phrases (and adds optional accept directions).',
  tiestar:
    'Guesses each image’s attribute from the attribute phrases, then subtracts that attribute’s phrase vector, scaled by its mean similarity.',
  tie: 'As TIE*, but with the images’ true attribute labels in place of the guess: it uses the labels it is scored on.',
  orthproj: 'Projects the attribute phrase directions out of the class text embeddings; images are unchanged.',
  orthcali:
    'As Orth-Proj, and also makes the group prompts of each class agree (calibration, strength λ) before classifying.',
  adapter:
    'Trains two small matrices on the training split’s embeddings (Yang et al.’s contrastive loss with the attribute words or labels), picks the epoch by validation worst-group accuracy, and is scored on the test split only.',
};

/** Paper and code each method follows (the code at the commit METHODS.md read). */
export const METHOD_SOURCES: Record<MethodId, string> = {
  zeroshot: 'Radford et al., ICML 2021 (CLIP); templates from openai/CLIP (ImageNet prompt list).',
  ensemble: 'Radford et al., ICML 2021 (CLIP prompt ensembling); openai/CLIP.',
  random: 'Ablation in SAGE (arXiv 2511.13005, AAAI 2026).',
  sage: 'SAGE: Spuriousness-Aware Guided Exploration (arXiv 2511.13005, AAAI 2026).',
  groupprompt: 'Reference with attribute words (SPEC §3 of this project).',
  roboshot:
    'Adila et al., ICLR 2024 (RoboShot); SprocketLab/roboshot @ c5b8e838 run.py. Reject pairs from attribute words: METHODS.md §1.',
  tiestar: 'Lu, Chai & Wang, ICLR 2025 (TIE*); wenqian-ye/spurious_vlm @ afa6cb6b TIE/Table1-WB.ipynb (a=False).',
  tie: 'Lu, Chai & Wang, ICLR 2025 (TIE); wenqian-ye/spurious_vlm @ afa6cb6b TIE/Table1-WB.ipynb.',
  orthproj:
    'Chuang et al. 2023, "Debiasing Vision-Language Models via Biased Prompts" (λ = 0); chingyaoc/debias_vl @ adccbe6a discriminative/main.py.',
  orthcali:
    'Chuang et al. 2023, "Debiasing Vision-Language Models via Biased Prompts"; chingyaoc/debias_vl @ adccbe6a discriminative/main.py.',
  adapter:
    'Yang, Nushi, Palangi & Mirzasoleiman, ICML 2023 (multimodal contrastive fine-tuning), as a d×d adapter on frozen embeddings: METHODS.md §4b.',
};

/** Display names, as the papers write them. */
export const METHOD_NAMES: Record<MethodId, string> = {
  zeroshot: 'Zero-shot',
  ensemble: 'Ensemble',
  random: 'Random',
  sage: 'SAGE',
  groupprompt: 'Group prompts',
  roboshot: 'RoboShot',
  tiestar: 'TIE*',
  tie: 'TIE',
  orthproj: 'Orth-Proj',
  orthcali: 'Orth-Cali',
  adapter: 'Yang et al. 2023 (trained)',
};

/** SPEC §7 attribute phrasings Φ: "{}" is replaced by the attribute word. The last is TIE's Waterbirds prompt. */
export const DEFAULT_PHRASINGS: readonly string[] = Object.freeze([
  '{}',
  'a photo of {}.',
  'a photo with a {} background.',
]);

/** Orth-Cali's calibration strength λ (debias_vl's `--lam` default). Orth-Proj is λ = 0. */
export const DEFAULT_ORTHCALI_LAMBDA = 1000;
