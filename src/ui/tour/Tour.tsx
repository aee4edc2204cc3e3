import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useDataset } from '../../state/dataset';
import { tourNumbers } from '../../state/derive/tourNumbers';
import { errorMessage } from '../../state/errorMessage';
import { useResults } from '../../state/results';
import { useRun, type RunPhase, type RunProgress } from '../../state/run';
import { describeRunFailure } from '../../state/runFailure';
import { HUB_MODELS, useSettings } from '../../state/settings';
import { useTour } from '../../state/tour';
import { bytes } from '../format';
import { loadExample } from '../ingest/loadExample';
import { useMethodComparison, useResultsInput } from '../results/useResultsInput';
import { openForStep } from './openers';
import { clearableTarget, placeBox, scrollDelta, type Rect } from './placement';
import { kChoices, TOUR_STEPS } from './steps';
import './tour.css';

/** the app's default model (the first hub choice), the failure step's way out when another model fails */
const DEFAULT_MODEL = HUB_MODELS[0].id;
/** where the run panel shows a failed run's sentence: the failure step sits beside it */
const FAILURE_TARGET = '[data-testid=run-error]';
/** for this long after a step's view appears the tour keeps it in view while the page settles */
const SETTLE_MS = 1500;

const isRunning = (phase: RunPhase) => phase === 'loading' || phase === 'text' || phase === 'images';

/**
 * Teaching mode: a non-modal dialog that walks through the live views as a lesson. Each step is placed beside
 * the view it explains (placement.ts), waits for the run before steps that need results, opens what it points
 * at, and quotes the run's own numbers (steps.ts). The K step sets K itself (buttons that drive the results
 * store) and can hand focus to the slider: Esc there brings it back. A failed run turns the tour into a
 * failure step with the run panel's sentence and ways out. Keyboard: → or Enter next, ← back, Esc ends.
 * Focus moves to the step title on every step and returns to where it was when the tour ends.
 */
export function Tour() {
  const { open, step, status, problem, go, close } = useTour();
  const title = useRef<HTMLHeadingElement | null>(null);
  const box = useRef<HTMLDialogElement | null>(null);
  const returnFocus = useRef<Element | null>(null);
  const phase = useRun((s) => s.phase);
  const progress = useRun((s) => s.progress);
  const runError = useRun((s) => s.error);
  const model = useSettings((s) => s.model);
  const hasImages = useDataset((s) => s.images.length > 0);
  const view = useResults((s) => s.view);
  const templateCount = useResults((s) => s.templates.length);
  const running = isRunning(phase);
  const input = useResultsInput();
  // the numbers are worked out once the run has settled (not on every streamed batch), and only while open
  const { rows } = useMethodComparison(open && !running ? input : null, view);
  const numbers = useMemo(() => {
    const shown = rows.find((r) => r.method === view.method) ?? rows.find((r) => r.method === 'sage');
    return input && shown ? tourNumbers(input, rows, shown, view) : null;
  }, [input, rows, view]);
  const ready = numbers !== null && !running && status === '';
  const failure = useMemo(
    () =>
      problem
        ? describeRunFailure(problem, model)
        : phase === 'error' && runError
          ? describeRunFailure(runError, model)
          : null,
    [problem, phase, runError, model],
  );
  const failed = failure !== null;
  const current = TOUR_STEPS[step];
  const waiting = !failed && current.needsResults && !ready;
  const selectors = useMemo(
    () => (failed ? [FAILURE_TARGET] : waiting ? [] : current.part ? [current.target, current.part] : [current.target]),
    [failed, waiting, current],
  );
  const imageId = numbers?.misclassified?.id ?? null;

  // the tour runs on the example when nothing is loaded when it opens (once per opening: loading the
  // example adds data, which must not cancel the run it starts)
  useEffect(() => {
    if (!open) return;
    if (useDataset.getState().images.length > 0 || useResults.getState().source !== null) return;
    void runExample();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    returnFocus.current ??= document.activeElement;
  }, [open]);

  // focus the title on every step, and when the tour turns into its failure step
  useEffect(() => {
    if (open) title.current?.focus();
  }, [open, step, failed]);

  // open what the step points at (the template pool, the drill-down), and close it again when the step is left
  useEffect(() => {
    if (!open || failed || waiting || !current.open) return;
    return openForStep(current.open, imageId);
  }, [open, failed, waiting, current, imageId]);

  // Esc on the K slider (where the K step hands focus) comes back to the tour instead of ending it
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !(event.target instanceof HTMLElement) || event.target.id !== 'k-input') return;
      event.preventDefault();
      title.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  // highlight the target, scroll it into view, and place the box beside it; again on every resize or scroll
  useLayoutEffect(() => {
    const dialog = box.current;
    if (!open || !dialog) return;
    let element: HTMLElement | null = null;
    let foundAt = 0;
    let scrolledTo: number | null = null;
    let frame = 0;
    const place = () => {
      frame = 0;
      const viewport = { width: document.documentElement.clientWidth, height: window.innerHeight };
      const size = {
        width: dialog.offsetWidth,
        height: dialog.scrollHeight + (dialog.offsetHeight - dialog.clientHeight),
      };
      // the whole view, or its essential part when the whole leaves the box no room (a phone)
      const found = selectors.flatMap((selector) => {
        const candidate = document.querySelector<HTMLElement>(selector);
        return candidate && candidate.getClientRects().length > 0 ? [{ selector, element: candidate }] : [];
      });
      const chosen =
        found.length > 0
          ? found[
              clearableTarget(
                found.map((f) => f.element.getBoundingClientRect()),
                size,
                viewport,
              )
            ]
          : null;
      const shown = chosen?.element ?? null;
      if (shown !== element) {
        element?.classList.remove('tour-highlight');
        shown?.classList.add('tour-highlight');
        element = shown;
        foundAt = performance.now();
        scrolledTo = null;
      }
      dialog.dataset.target = chosen?.selector ?? '';
      let rect: Rect | null = shown ? shown.getBoundingClientRect() : null;
      // scroll once when the view appears, and again while the page settles if it moved (charts drawing above)
      const settling = performance.now() - foundAt < SETTLE_MS;
      if (shown && rect && (scrolledTo === null || (settling && Math.abs(rect.top - scrolledTo) > 40))) {
        const delta = scrollDelta(rect, size, viewport);
        if (Math.abs(delta) > 1) window.scrollTo({ top: window.scrollY + delta, behavior: 'instant' });
        rect = shown.getBoundingClientRect();
        scrolledTo = rect.top;
      }
      const placement = placeBox(rect, size, viewport);
      dialog.style.left = `${placement.left}px`;
      dialog.style.top = `${placement.top}px`;
      dialog.style.maxHeight = `${placement.maxHeight}px`;
      dialog.dataset.side = placement.side;
      dialog.dataset.clear = String(placement.clear);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(place);
    };
    place();
    window.addEventListener('resize', schedule);
    window.addEventListener('scroll', schedule, { passive: true });
    const observer = new ResizeObserver(schedule);
    observer.observe(dialog);
    observer.observe(document.body);
    // views appear while the run streams and charts redraw after a K change: look again now and then
    const timer = window.setInterval(schedule, 400);
    return () => {
      cancelAnimationFrame(frame);
      window.clearInterval(timer);
      observer.disconnect();
      window.removeEventListener('resize', schedule);
      window.removeEventListener('scroll', schedule);
      element?.classList.remove('tour-highlight');
    };
  }, [open, selectors]);

  // while open on a wide screen the page leaves a column for the box (tour.css), so it fits beside any view
  useEffect(() => {
    if (!open) return;
    document.documentElement.classList.add('tour-open');
    return () => document.documentElement.classList.remove('tour-open');
  }, [open]);

  if (!open) return null;
  const last = step === TOUR_STEPS.length - 1;
  const nextNeedsResults = !last && TOUR_STEPS[step + 1].needsResults;
  const nextBlocked = !failed && (waiting || (nextNeedsResults && !ready));
  const finish = () => {
    close();
    if (location.hash === '#tour') history.replaceState(null, '', location.pathname + location.search);
    const back = returnFocus.current;
    returnFocus.current = null;
    if (back instanceof HTMLElement) back.focus();
  };
  const next = () => {
    if (failed || nextBlocked) return;
    if (last) finish();
    else go(step + 1);
  };
  const back = () => !failed && step > 0 && go(step - 1);
  const waitText = waitingSentence(phase, progress, status, hasImages);

  return (
    // a non-modal <dialog>: the page stays usable while the tour points at it
    <dialog
      open
      ref={box}
      className="tour"
      aria-labelledby="tour-title"
      aria-describedby="tour-text"
      data-testid="tour"
      data-step={failed ? 'failure' : current.id}
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
      {failed ? (
        <>
          <p className="tour-count">The run stopped</p>
          <h2 id="tour-title" tabIndex={-1} ref={title}>
            {failure.details ? 'The model did not load' : 'CLIP could not run'}
          </h2>
          <div id="tour-text">
            <p className="error" data-testid="tour-error">
              {failure.headline}
            </p>
            {failure.advice && <p>{failure.advice}</p>}
            <p>The tour explains results, so it waits here: choose a way on below, or end the tour.</p>
          </div>
          <div className="button-row">
            {(failure.retry || problem) && (
              <button
                type="button"
                onClick={() => void (problem ? runExample() : useRun.getState().start())}
                data-testid="tour-retry"
              >
                Retry
              </button>
            )}
            {model !== DEFAULT_MODEL && (
              <button
                type="button"
                className="secondary"
                onClick={() => void runWithDefaultModel()}
                data-testid="tour-default-model"
              >
                Try the example with the default model ({DEFAULT_MODEL})
              </button>
            )}
            <button
              type="button"
              className="secondary"
              onClick={() => {
                finish();
                const chooser = document.getElementById('model-select');
                chooser?.scrollIntoView({ block: 'center' });
                chooser?.focus();
              }}
            >
              Choose another model
            </button>
            <button type="button" className="secondary" onClick={finish} data-testid="tour-end">
              End tour (Esc)
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="tour-count">
            Step {step + 1} of {TOUR_STEPS.length}
          </p>
          <h2 id="tour-title" tabIndex={-1} ref={title}>
            {current.title}
          </h2>
          <p id="tour-text">{current.text(ready ? numbers : null)}</p>
          {current.drivesK && ready && (
            <div className="button-row tour-k" role="group" aria-label="Set K">
              {kChoices(templateCount).map((k) => (
                <button
                  key={k}
                  type="button"
                  className="secondary"
                  aria-pressed={view.k === k}
                  onClick={() => useResults.getState().setView({ k })}
                  data-testid={`tour-k-${k}`}
                >
                  K = {k}
                  {k === templateCount ? ' (all)' : ''}
                </button>
              ))}
              <button type="button" className="secondary" onClick={() => document.getElementById('k-input')?.focus()}>
                Move the slider yourself
              </button>
            </div>
          )}
          {(waiting || nextBlocked) && (
            <div className="tour-wait" role="status" id="tour-wait" data-testid="tour-wait">
              <p>{waitText}</p>
              {running && (
                <progress
                  value={phase === 'images' && progress.total > 0 ? progress.done / progress.total : undefined}
                  max={1}
                  aria-label="CLIP progress"
                />
              )}
              {!running && !status && hasImages && (
                <button type="button" onClick={() => void useRun.getState().start()}>
                  Run CLIP now
                </button>
              )}
            </div>
          )}
        </>
      )}
      {!failed && (
        <div className="button-row">
          <button type="button" className="secondary" onClick={back} disabled={step === 0}>
            ← Back
          </button>
          <button
            type="button"
            onClick={next}
            disabled={nextBlocked}
            aria-describedby={nextBlocked ? 'tour-wait' : undefined}
            data-testid="tour-next"
          >
            {last ? 'Finish' : 'Next →'}
          </button>
          <button type="button" className="secondary" onClick={finish}>
            Skip tour (Esc)
          </button>
        </div>
      )}
      <p className="tour-keys muted">
        {failed ? 'Keys: Esc ends the tour' : 'Keys: → or Enter next · ← back · Esc ends the tour'}
      </p>
    </dialog>
  );
}

/** What the tour is waiting for, in words, with the run's own progress. */
function waitingSentence(phase: RunPhase, progress: RunProgress, status: string, hasImages: boolean): string {
  if (status) return status;
  switch (phase) {
    case 'loading':
      return progress.totalBytes > 0
        ? `Waiting for CLIP: loading the model, ${bytes(progress.loadedBytes)} of ${bytes(progress.totalBytes)}…`
        : 'Waiting for CLIP: loading the model…';
    case 'text':
      return 'Waiting for CLIP: reading the class prompts…';
    case 'images':
      return `Waiting for CLIP: ${progress.done} of ${progress.total} images embedded. The next step explains the results.`;
    default:
      return hasImages
        ? 'The next steps explain results: run CLIP on these images first.'
        : 'The next steps explain results: drop in images or try the example first.';
  }
}

/** Loads the example unless images are there, then runs CLIP; a failure to load the example ends in the failure step. */
async function runExample(): Promise<void> {
  useTour.setState({ problem: null });
  try {
    if (useDataset.getState().images.length === 0) {
      useTour.getState().setStatus('Loading the example…');
      await loadExample('waterbirds-lite');
    }
    if (!useTour.getState().open) return;
    useTour.getState().setStatus('');
    await useRun.getState().start();
  } catch (error) {
    if (useTour.getState().open) useTour.getState().fail(errorMessage(error));
  }
}

/** The failure step's way out when a chosen model will not load: the default hub model, on the example. */
async function runWithDefaultModel(): Promise<void> {
  useSettings.getState().setModel(DEFAULT_MODEL);
  useSettings.getState().setDtype('q8');
  await runExample();
}
