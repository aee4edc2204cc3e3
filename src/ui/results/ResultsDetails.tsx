import { startTransition, useEffect, useMemo, useState } from 'react';
import { pseudoAttributeGroups, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { DiscrepancyView } from './DiscrepancyView';
import { EmbeddingMap } from './EmbeddingMap';
import { Gallery } from './Gallery';
import { GroupChart } from './GroupChart';
import { SeparationChart } from './SeparationChart';
import './resultsDetails.css';

/**
 * The charts and drill-downs under the comparison table. They follow a K (or method) change in a transition that
 * starts after the next paint: the table and headline above show the new numbers in the frame of the key press,
 * and React renders the charts afterwards in slices it interrupts for the next key press, so holding an arrow key
 * on the slider stays live. While they catch up the charts dim a little (after a short delay, so quick updates do not flicker) and
 * `data-k` says which K they show.
 */
export function ResultsDetails({
  input,
  rows,
  selected,
}: {
  input: ResultsInput;
  rows: MethodRow[];
  selected: MethodRow;
}) {
  const current = useMemo(() => ({ input, rows, selected }), [input, rows, selected]);
  // null at first: results that arrive (a finished cached run, an opened file) paint the table and headline in
  // their own frame, and the charts follow in the same deferred transition as a K change (issue 16 §3: results
  // within 1 s of Run; the charts' first render was half of it)
  const [shown, setShown] = useState<typeof current | null>(null);
  useEffect(() => {
    if (shown === current) return;
    // start the charts only after the table's frame has painted (rAF, then a task), as a transition React
    // interrupts for the next key press; a timer covers a hidden tab, where frames do not come
    let done = false;
    const show = () => {
      if (done) return;
      done = true;
      startTransition(() => setShown(current));
    };
    const channel = new MessageChannel();
    channel.port1.onmessage = show;
    const frame = requestAnimationFrame(() => channel.port2.postMessage(null));
    const timer = setTimeout(show, 200);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      channel.port1.close();
    };
  }, [current, shown]);
  const pending = shown !== current;
  const charts = useMemo(() => shown && <Charts {...shown} />, [shown]);
  const sage = shown?.rows.find((r) => r.method === 'sage');
  return (
    <div
      className={pending ? 'results-details pending' : 'results-details'}
      data-testid="results-details"
      data-k={sage?.result.kSelected}
      data-method={shown?.selected.method}
      aria-busy={pending}
      // the charts' space is held while they are first drawn, so what follows does not jump
      style={shown ? undefined : { minHeight: 600 }}
    >
      {charts ?? <p className="muted">Drawing the charts…</p>}
    </div>
  );
}

/** Rendered only when the deferred rows change (ResultsDetails memoises the element). */
function Charts({ input, rows, selected }: { input: ResultsInput; rows: MethodRow[]; selected: MethodRow }) {
  const zeroshot = rows.find((r) => r.method === 'zeroshot') ?? selected;
  const sage = rows.find((r) => r.method === 'sage') ?? selected;
  const guessedAttributes = useMemo(() => pseudoAttributeGroups(input, selected), [input, selected]);
  return (
    <>
      <GroupChart selected={selected} zeroshot={zeroshot} guessedAttributes={guessedAttributes} />
      <SeparationChart input={input} sage={sage} />
      <DiscrepancyView input={input} row={selected} />
      <Gallery input={input} rows={rows} selected={selected} />
      <EmbeddingMap input={input} selected={selected} />
    </>
  );
}
