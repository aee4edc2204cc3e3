import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { pseudoAttributeGroups } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { ComparisonTable } from '../results/ComparisonTable';
import { DiscrepancyView } from '../results/DiscrepancyView';
import { EmbeddingMap } from '../results/EmbeddingMap';
import { Gallery } from '../results/Gallery';
import { GroupChart } from '../results/GroupChart';
import { Headline } from '../results/Headline';
import { SeparationChart } from '../results/SeparationChart';
import { useMethodComparison, useResultsInput } from '../results/useResultsInput';
import { PresentingContext } from '../theme';
import { movedSlide, SLIDES, slideMoveForKey, type SlideId } from './slides';
import './presentation.css';

/** Controls whose arrow keys move within them (a select's options, a slider, a radio group, text). */
function ownsArrowKeys(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('input, select, textarea, [contenteditable="true"]') !== null;
}

/**
 * "Present" beside the results, and the presentation itself: one results view at a time over the whole
 * window, the headline sentence above it, large type (the charts draw larger too), "3 / 6" and the view's name.
 * PageDown/PageUp (what presentation clickers send), the arrow keys, Home/End move; Escape leaves.
 */
export function PresentButton() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement | null>(null);
  const leave = useCallback(() => {
    setOpen(false);
    // back where the user was: the button that opened it
    requestAnimationFrame(() => button.current?.focus());
  }, []);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="secondary"
        onClick={() => setOpen(true)}
        data-testid="present-button"
        aria-haspopup="dialog"
      >
        Present
      </button>
      {open && <Presentation onLeave={leave} />}
    </>
  );
}

function Presentation({ onLeave }: { onLeave: () => void }) {
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDivElement | null>(null);
  const slide = SLIDES[index];

  useEffect(() => {
    dialog.current?.focus();
    // the page under the presentation does not scroll with it
    const overflow = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = overflow;
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const move = slideMoveForKey(event.key);
      if (!move) return;
      if (move !== 'leave' && event.key.startsWith('Arrow') && ownsArrowKeys(event.target)) return;
      if ((move === 'first' || move === 'last') && ownsArrowKeys(event.target)) return;
      event.preventDefault();
      if (move === 'leave') onLeave();
      else setIndex((i) => movedSlide(i, move));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onLeave]);

  // a new slide starts at its top
  useEffect(() => {
    dialog.current?.querySelector('.presentation-stage')?.scrollTo({ top: 0 });
  }, [index]);

  return (
    <PresentingContext.Provider value={true}>
      <div
        ref={dialog}
        className="presentation"
        role="dialog"
        aria-modal="true"
        aria-label={`Presentation: ${slide.name}`}
        tabIndex={-1}
        data-testid="presentation"
        data-slide={slide.id}
      >
        <header className="presentation-bar">
          <p className="presentation-position" data-testid="presentation-position" aria-live="polite">
            <span className="presentation-count">
              {index + 1} / {SLIDES.length}
            </span>{' '}
            <span className="presentation-name">{slide.name}</span>
          </p>
          <div className="button-row">
            <button
              type="button"
              className="secondary"
              onClick={() => setIndex((i) => movedSlide(i, 'previous'))}
              disabled={index === 0}
            >
              ← Previous
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setIndex((i) => movedSlide(i, 'next'))}
              disabled={index === SLIDES.length - 1}
            >
              Next →
            </button>
            <button type="button" className="secondary" onClick={onLeave} data-testid="presentation-leave">
              Leave (Esc)
            </button>
          </div>
        </header>
        {/* after the first view, the headline keeps its two main sentences: the view needs the room */}
        <div className={index === 0 ? 'presentation-stage' : 'presentation-stage later'}>
          <Slide id={slide.id} />
        </div>
      </div>
    </PresentingContext.Provider>
  );
}

/** One view of the results with the headline sentence above it. */
function Slide({ id }: { id: SlideId }) {
  const view = useResults((s) => s.view);
  const setView = useResults((s) => s.setView);
  const expected = useResults((s) => s.expected);
  const input = useResultsInput();
  const { rows } = useMethodComparison(input, view);
  const selected = useMemo(
    () => rows.find((r) => r.method === view.method) ?? rows.find((r) => r.method === 'sage'),
    [rows, view.method],
  );
  const guessedAttributes = useMemo(
    () => (input && selected ? pseudoAttributeGroups(input, selected) : null),
    [input, selected],
  );
  if (!input || !selected) return <p className="muted">The results are not ready yet.</p>;
  const zeroshot = rows.find((r) => r.method === 'zeroshot') ?? selected;
  const sage = rows.find((r) => r.method === 'sage') ?? selected;
  return (
    <>
      <Headline
        rows={rows}
        selected={selected}
        k={view.k}
        classes={input.classes}
        attributeKeys={input.attributeKeys}
        complete={input.analysis.n >= expected}
      />
      {id === 'comparison' && (
        <ComparisonTable
          rows={rows}
          unavailable={[]}
          notes={{}}
          pending={[]}
          selected={selected.method}
          onSelect={(method) => setView({ method })}
          k={view.k}
        />
      )}
      {id === 'groups' && <GroupChart selected={selected} zeroshot={zeroshot} guessedAttributes={guessedAttributes} />}
      {id === 'templates' && <SeparationChart input={input} sage={sage} />}
      {id === 'delta' && <DiscrepancyView input={input} row={selected} />}
      {id === 'images' && <Gallery input={input} rows={rows} selected={selected} />}
      {id === 'map' && <EmbeddingMap input={input} selected={selected} />}
    </>
  );
}
