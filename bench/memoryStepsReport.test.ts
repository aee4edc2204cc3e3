import { describe, expect, it } from 'vitest';
import { medianSteps, breakdownText } from './dtypes';
import { appOrder, memoryStepsSection, memoryWhy, peakRatios, peakStep, type MemorySteps } from './memoryStepsReport';

const MiB = 2 ** 20;
const step = (name: string, rss: number, during: number, peak: number, afterGc: number | null = rss) => ({
  step: name,
  rssBytes: rss * MiB,
  stepPeakRssBytes: during * MiB,
  peakRssBytes: peak * MiB,
  rssAfterGcBytes: afterGc === null ? null : afterGc * MiB,
});

const sequential: MemorySteps = {
  dtype: 'q8',
  order: 'one after another',
  modelFileBytes: 100 * MiB,
  error: null,
  steps: [
    step('page open', 150, 150, 150),
    step('worker up (tokenizer, config; no session)', 200, 200, 200),
    step('text session created (1 prompt)', 500, 560, 560, 420),
    step('prompts embedded (170)', 430, 440, 560),
    step('text session released', 430, 430, 560),
    step('vision session created, first batch (8 images)', 600, 650, 650),
    step('last batch (64 more images)', 610, 620, 650),
  ],
};
const together: MemorySteps = {
  ...sequential,
  order: 'both at load',
  steps: [step('page open', 150, 150, 150), step('both sessions created together', 700, 800, 800)],
};

describe('memory steps in words', () => {
  it('finds the step that set the peak and gives the peak whole and above the empty page', () => {
    expect(peakStep(sequential.steps)?.step).toBe('vision session created, first batch (8 images)');
    const ratios = peakRatios(sequential);
    expect(ratios?.peak).toBeCloseTo(6.5);
    expect(ratios?.aboveEmpty).toBeCloseTo(5.0);
    expect(appOrder([together, sequential], 'q8')).toBe(sequential);
    expect(appOrder([together], 'q8')).toBeNull();
    const kept: MemorySteps = { ...sequential, order: 'text kept' };
    expect(appOrder([sequential, kept, together], 'q8')).toBe(kept);
  });

  it('explains each session from the figures: its rise, the garbage a GC frees, the release, the other order', () => {
    const [line] = memoryWhy([sequential, together]);
    expect(line).toContain('creating the text session raised RSS by 360 MiB');
    expect(line).toContain('80 MiB of it JavaScript garbage');
    expect(line).toContain('releasing it gave back 0 MiB');
    expect(line).toContain('220 MiB more');
    expect(line).toContain('peak 650 MiB, against 800 MiB with both sessions created at once');
  });

  it('renders a table per order with both ratios', () => {
    const text = memoryStepsSection([sequential, together]).join('\n');
    expect(text).toContain('| text session created (1 prompt) | 500 / 560 |');
    expect(text).toContain('650 MiB = **6.5×** files (5.0× above the empty page)');
    expect(text).toContain('800 MiB = **8.0×** files');
  });
});

describe('cached re-run breakdown', () => {
  it('takes each step’s median across repeats, in the first repeat’s order', () => {
    const steps = medianSteps([
      [
        { step: 'a', ms: 10 },
        { step: 'b', ms: 50 },
      ],
      [
        { step: 'a', ms: 30 },
        { step: 'b', ms: 70 },
      ],
      [
        { step: 'a', ms: 20 },
        { step: 'b', ms: 40 },
      ],
    ]);
    expect(steps).toEqual([
      { step: 'a', ms: 20 },
      { step: 'b', ms: 50 },
    ]);
    expect(breakdownText(steps)).toBe('a 20 ms (+20) → b 50 ms (+30)');
  });
});
