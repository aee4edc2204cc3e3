/**
 * Prompt sets for the text benchmark: the 80 CLIP templates × 10 classes. The text cache is keyed by
 * prompt, so every timed run uses its own class set (CIFAR-100 names of similar token length) and
 * nothing is served from cache.
 */
import { buildPrompts, CLIP_TEMPLATES } from '../src/core/templates';

export const CLASS_SETS: readonly (readonly string[])[] = [
  ['bear', 'bee', 'bridge', 'castle', 'clock', 'crab', 'fox', 'kangaroo', 'lobster', 'mouse'], // warm-up
  ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  ['apple', 'bicycle', 'bottle', 'camel', 'chair', 'cloud', 'couch', 'lamp', 'lion', 'tiger'],
  ['rocket', 'rose', 'shark', 'snail', 'table', 'tank', 'train', 'tulip', 'whale', 'wolf'],
];

export const MAX_TIMED_TEXT_RUNS = CLASS_SETS.length - 1;

/** Prompts for run `run` (0 = warm-up): the first `templates` CLIP templates × that run's 10 classes. */
export function promptSet(run: number, templates: number): string[] {
  if (run < 0 || run >= CLASS_SETS.length)
    throw new Error(`promptSet: run must be 0..${CLASS_SETS.length - 1}, got ${run}`);
  if (templates < 1 || templates > CLIP_TEMPLATES.length) {
    throw new Error(`promptSet: templates must be 1..${CLIP_TEMPLATES.length}, got ${templates}`);
  }
  return buildPrompts(CLIP_TEMPLATES.slice(0, templates), CLASS_SETS[run]);
}
