import { useCallback, useEffect, useState } from 'react';
import { useDataset } from '../../state/dataset';
import { useResults } from '../../state/results';
import { useRun } from '../../state/run';
import './runCues.css';

/** Whether the element with this id is on screen now (and whenever that changes); `onShown` when it comes in. */
function useOnScreen(id: string, watching: boolean, onShown?: () => void): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    if (!watching) return;
    const element = document.getElementById(id);
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        setVisible(entry.isIntersecting);
        if (entry.isIntersecting) onShown?.();
      },
      // any pixel counts: the results section is far taller than the screen, so a share of its area (0.05 of
      // 10,000 px) may never be reached even while it fills the screen, and the cue then covered the results
      { threshold: 0 },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [id, watching, onShown]);
  return visible;
}

function goTo(sectionId: string, focusSelector: string): void {
  const section = document.getElementById(sectionId);
  if (!section) return;
  const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  section.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
  const target = section.querySelector<HTMLElement>(focusSelector);
  if (!target) return;
  // a heading takes focus only with a tabindex; focus moves there so the keyboard continues from it
  if (!target.matches('button, input, select, a[href]') && !target.hasAttribute('tabindex'))
    target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

/**
 * Two cues that never move the page by themselves (issue 13 §6): while data is chosen but not yet run and the
 * Run button is off screen, a pinned "Run" button takes you to it; when a run's results arrive off screen, a
 * "Results ready" button takes you there. Whoever is reading stays where they are until they press it.
 * While Run is refused (`blockedReason`, the sentence beside the disabled button) the pin says that reason
 * instead of inviting a click on a button that would not run: the fix is in the data or labels being read.
 */
export function RunCues({ blockedReason }: { blockedReason: string | null }) {
  const hasImages = useDataset((s) => s.images.length > 0);
  const imageCount = useDataset((s) => s.images.length);
  const hasResults = useResults((s) => s.source !== null);
  const phase = useRun((s) => s.phase);
  const [resultsCue, setResultsCue] = useState(false);
  // seen is seen: scrolling to the results by hand retires the cue
  const retire = useCallback(() => setResultsCue(false), []);
  const runOnScreen = useOnScreen('run', hasImages);
  const resultsOnScreen = useOnScreen('results', hasResults, retire);

  // a run that ends (done, or cancelled with results so far) raises the cue once
  useEffect(
    () =>
      useRun.subscribe((state, previous) => {
        const ended = (state.phase === 'done' || state.phase === 'cancelled') && previous.phase !== state.phase;
        if (ended && useResults.getState().source !== null) setResultsCue(true);
      }),
    [],
  );

  const idle = phase === 'idle';
  const showRunPin = hasImages && !hasResults && idle && !runOnScreen;
  const showResults = resultsCue && hasResults && !resultsOnScreen;
  if (!showRunPin && !showResults) return null;
  return (
    <div className="run-cues" role="status">
      {showRunPin && blockedReason !== null && (
        <p className="run-cue run-cue-blocked" data-testid="run-pin-blocked">
          Run is off: {blockedReason}
        </p>
      )}
      {showRunPin && blockedReason === null && (
        <button
          type="button"
          className="primary run-cue"
          onClick={() => goTo('run', '[data-testid=run-button]')}
          data-testid="run-pin"
        >
          {imageCount} image{imageCount === 1 ? '' : 's'} ready · Go to Run ↓
        </button>
      )}
      {showResults && (
        <button
          type="button"
          className="primary run-cue"
          onClick={() => {
            setResultsCue(false);
            goTo('results', '#results-heading');
          }}
          data-testid="results-ready"
        >
          Results ready · Show them ↓
        </button>
      )}
    </div>
  );
}
