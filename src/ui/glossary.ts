/**
 * The words the results use, each explained once in plain language. Every ⓘ on screen reads from here, so a
 * term means the same thing in the table, the charts and the tour.
 */
export const GLOSSARY = {
  accuracy: {
    term: 'accuracy',
    text: 'The share of all images whose predicted class is their true class. It is dominated by the large groups.',
  },
  wga: {
    term: 'worst-group accuracy',
    text: 'Accuracy on the hardest class × attribute group (e.g. waterbirds on land). A model that leans on the background scores low here even when its overall accuracy is high.',
  },
  gap: {
    term: 'gap',
    text: 'Overall accuracy minus worst-group accuracy, in percentage points. Large gaps mean the model does well on typical images and badly on the unusual ones.',
  },
  hm: {
    term: 'HM (harmonic mean)',
    text: 'The harmonic mean of accuracy and worst-group accuracy: high only when both are high, so a method cannot win it by sacrificing one for the other.',
  },
  interval: {
    term: '95% interval',
    text: 'A Wilson score interval: with this many images (n), the true accuracy lies in this range with 95% confidence. Small groups give wide intervals; differences inside them may be chance.',
  },
  n: {
    term: 'n',
    text: 'The number of images behind a figure.',
  },
  delta: {
    term: 'δ (percentage points)',
    text: 'A difference between two accuracies, in percentage points (pts): 40% → 55% is +15 pts. It is not a percentage of the first value.',
  },
  k: {
    term: 'K',
    text: 'How many prompt templates SAGE keeps for each image: the K that push the classes furthest apart for that image.',
  },
  separation: {
    term: 'class separation',
    text: "For one image and one template: the largest minus the smallest cosine similarity between the image and the template's class prompts. SAGE keeps the templates with the largest separation.",
  },
  perImagePicks: {
    term: 'picked per image',
    text: 'SAGE chooses templates for each image separately, so every image gets the templates that separate the classes best for it. The combination can beat every single template used for all images.',
  },
  aggregate: {
    term: 'combining templates',
    text: "SAGE can average the text embeddings of its K templates and then compare (as the authors' code does), or compare with each template and average the scores (the paper's formula).",
  },
  zeroshotTemplate: {
    term: 'zero-shot template',
    text: "The single prompt the zero-shot baseline fills with each class name, e.g. 'a photo of a {}.'.",
  },
  seed: {
    term: 'random seed',
    text: 'The "random templates" baseline keeps K templates chosen at random; the seed fixes which, so the result can be reproduced.',
  },
  probability: {
    term: 'class probability',
    text: "CLIP's cosine similarities between the image and each class prompt, multiplied by 100 (CLIP's temperature) and turned into probabilities with a softmax.",
  },
  pca: {
    term: 'PCA map',
    text: 'The image embeddings flattened to two dimensions by principal component analysis. Each axis says how much of the embeddings’ variance it keeps (% explained); the rest is lost in the flat picture.',
  },
  worstGroup: {
    term: 'worst group',
    text: 'The group where this method scores lowest. It can differ between methods.',
  },
  method: {
    term: 'method',
    text: "Each row classifies the same images with the same CLIP embeddings in its own way. Select a row to see its charts below; hover or focus a method's name for how it works. Badges say what a method knows beyond the class names.",
  },
  b2tScore: {
    term: 'B2T score',
    text: "How much closer CLIP puts the word to this class's misclassified images than to its correctly classified ones: 100 × the word's text embedding · (mean of the wrong images − mean of the right images). Positive: the word describes the mistakes more than the successes (Kim et al.'s B2T).",
  },
  presenceDelta: {
    term: 'δ when present (points)',
    text: 'Accuracy on the class images where CLIP tags the word as present minus accuracy where it is absent, in percentage points, with a 95% interval. Negative: the method fails more often when the word is in the picture. An interval that crosses 0 may be chance.',
  },
  presentAbsent: {
    term: 'n present / absent',
    text: 'How many images of the class CLIP tagged with the word (it is among the image’s top-k words) and how many not. Words need at least 10 of each to be listed.',
  },
  mi: {
    term: 'MI (nats)',
    text: 'Mutual information between "the word is present" and "the prediction is wrong" within the class, in nats. 0 means presence tells nothing about errors; larger means it tells more. Words with MI = 0 are not listed.',
  },
  presenceTopK: {
    term: 'top-k presence',
    text: 'A word counts as present in an image when it is among the k vocabulary words whose text embedding is most similar to the image. CLIP stands in for an object detector here, so the tags are noisy.',
  },
  inferredAttribute: {
    term: 'inferred attribute',
    text: 'The groups come from CLIP’s own tags of a discovered word, not from labels anyone checked. The same CLIP both makes the tags and is audited, so treat the groups as a hypothesis: if the worst group and δ hold up here, test them on real labels.',
  },
  auditedMethod: {
    term: 'method audited',
    text: 'Discovery explains the mistakes of one method: its wrong and right images decide the B2T score and δ. Zero-shot is the usual starting point; any row of the table can be audited.',
  },
  runsCompared: {
    term: 'runs compared',
    text: 'Each column is one run kept from this session: the same images run with another model, precision or class strings, or an opened bundle or report. Every number was computed on that run’s own embeddings, at the K it was kept with.',
  },
  bestRun: {
    term: 'best (★)',
    text: 'The run with the highest worst-group accuracy in this row. “Tied best” when several runs share it; no mark when every run scores the same.',
  },
  deltaRuns: {
    term: 'Δ (run B − run A)',
    text: 'The second run’s value minus the first run’s, in percentage points: positive means the second run does better. With small groups a few images change it a lot; compare the n beside each number.',
  },
} as const satisfies Record<string, { term: string; text: string }>;

export type GlossaryKey = keyof typeof GLOSSARY;
