import { useEffect, useRef } from 'react';
import { useDataset } from '../../state/dataset';
import { useResults } from '../../state/results';
import { useRun } from '../../state/run';
import { useTour } from '../../state/tour';
import { loadExample } from '../ingest/loadExample';
import { TOUR_STEPS } from './steps';
import { errorMessage } from '../../state/errorMessage';

/**
 * Teaching mode: a small non-modal dialog that walks through the live views, highlighting and scrolling to
 * each. Keyboard: → or Enter next, ← back, Esc ends. Focus moves to the step title on every step and
 * returns to where it was when the tour ends.
 */
export function Tour() {
  const { open, step, status, go, close } = useTour();
  const title = useRef<HTMLHeadingElement | null>(null);
  const returnFocus = useRef<Element | null>(null);
  const hasResults = useResults((s) => s.source !== null);
  const phase = useRun((s) => s.phase);

  // the tour runs on the example when nothing is loaded when it opens (once per opening: loading the
  // example adds data, which must not cancel the run it starts)
  useEffect(() => {
    if (!open) return;
    if (useDataset.getState().images.length > 0 || useResults.getState().source !== null) return;
    const { setStatus } = useTour.getState();
    let cancelled = false;
    setStatus('Loading the example…');
    void loadExample('waterbirds-lite')
      .then(() => {
        if (cancelled) return;
        setStatus('Running CLIP on the example…');
        return useRun.getState().start();
      })
      .then(() => !cancelled && setStatus(''))
      .catch((error: unknown) => !cancelled && setStatus(errorMessage(error)));
    return () => {
      cancelled = true;
    };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    returnFocus.current ??= document.activeElement;
  }, [open]);

  // highlight and scroll to the step's view (it may appear later, while the run streams)
  useEffect(() => {
    if (!open) return;
    const target = TOUR_STEPS[step].target;
    let element: Element | null = null;
    const mark = () => {
      const found = document.querySelector(target);
      if (found === element) return;
      element?.classList.remove('tour-highlight');
      element = found;
      if (found) {
        found.classList.add('tour-highlight');
        found.scrollIntoView({ block: 'center' });
      }
    };
    mark();
    const timer = window.setInterval(mark, 500);
    title.current?.focus();
    return () => {
      window.clearInterval(timer);
      element?.classList.remove('tour-highlight');
    };
  }, [open, step, hasResults]);

  if (!open) return null;
  const last = step === TOUR_STEPS.length - 1;
  const current = TOUR_STEPS[step];
  const finish = () => {
    close();
    if (location.hash === '#tour') history.replaceState(null, '', location.pathname + location.search);
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back instanceof HTMLElement) back.focus();
  };
  const next = () => (last ? finish() : go(step + 1));
  const back = () => step > 0 && go(step - 1);
  const running = phase === 'loading' || phase === 'text' || phase === 'images';

  return (
    // a non-modal <dialog>: the page stays usable while the tour points at it
    <dialog
      open
      className="tour"
      aria-labelledby="tour-title"
      aria-describedby="tour-text"
      data-testid="tour"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          finish();
        } else if (e.key === 'ArrowRight' || (e.key === 'Enter' && e.target === title.current)) {
          e.preventDefault();
          next();
        } else if (e.key === 'ArrowLeft') {
          e.preventDefault();
          back();
        }
      }}
    >
      <p className="tour-count">
        Step {step + 1} of {TOUR_STEPS.length}
      </p>
      <h2 id="tour-title" tabIndex={-1} ref={title}>
        {current.title}
      </h2>
      <p id="tour-text">{current.text}</p>
      {(status || running) && (
        <p className="muted" role="status">
          {status || 'CLIP is still running; the views fill in as images are embedded.'}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="secondary" onClick={back} disabled={step === 0}>
          ← Back
        </button>
        <button type="button" onClick={next} data-testid="tour-next">
          {last ? 'Finish' : 'Next →'}
        </button>
        <button type="button" className="secondary" onClick={finish}>
          Skip tour (Esc)
        </button>
      </div>
      <p className="tour-keys muted">Keys: → or Enter next · ← back · Esc ends the tour</p>
    </dialog>
  );
}
