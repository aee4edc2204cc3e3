/** The guided walk: short, each step pointing at the live view it explains. */
export interface TourStep {
  title: string;
  text: string;
  /** CSS selector of the view to highlight */
  target: string;
}

export const TOUR_STEPS: readonly TourStep[] = [
  {
    title: 'A spurious correlation',
    text: 'In this set most landbirds stand on land and most waterbirds on water. The background predicts the class almost as well as the bird does, so a model can get high accuracy by looking at the background. The table shows how few images break the pattern.',
    target: '#dataset',
  },
  {
    title: 'Accuracy per group',
    text: 'A group is a class together with a background. Here each bar is one group: the rare pairings (landbird on water, waterbird on land) are where a background-reliant model fails.',
    target: '#group-chart',
  },
  {
    title: 'Why the worst group matters',
    text: 'Overall accuracy hides the minority groups because they are small. Worst-group accuracy (WGA) is the accuracy on the group the model gets most wrong; the gap between accuracy and WGA measures how much it leans on the shortcut.',
    target: '[data-testid=comparison-table]',
  },
  {
    title: 'What a template is',
    text: 'CLIP classifies by comparing the image with sentences such as "a photo of a {}." with each class name filled in. That sentence pattern is a template. Zero-shot uses one; the ensemble averages all 80.',
    target: '#dataset .template-editor',
  },
  {
    title: 'How SAGE scores separation',
    text: 'For each image and template, SAGE measures how far apart the class scores are (the largest minus the smallest). A template that separates the classes clearly for this image is trusted more. Orange bars with ★ are the templates SAGE picked most.',
    target: '#separation-chart',
  },
  {
    title: 'What changes with K',
    text: 'K is how many of its best-separating templates SAGE keeps per image. K = 1 uses only the single best; K = all is the plain ensemble. Move the slider and watch the worst group change: nothing is re-embedded.',
    target: '#k-slider',
  },
];
