import { useMemo } from 'react';
import { comparedMethod, headline } from '../../state/derive/headline';
import type { MethodRow } from '../../state/derive/views';
import { pct } from '../format';
import { InfoTip } from '../InfoTip';
import './headline.css';

/**
 * The results in words, above the table (issue 12 §1): zero-shot's worst group and what the selected method does
 * to it. Fed by the rows the table already shows, so it costs a few string joins and updates with K at once.
 */
export function Headline({
  rows,
  selected,
  k,
  classes,
  attributeKeys,
  complete,
}: {
  /** a results view's rows, or a shared link's (LinkResults) */
  rows: readonly Pick<MethodRow, 'method' | 'metrics'>[];
  selected: Pick<MethodRow, 'method' | 'metrics'>;
  k: number;
  classes: readonly string[];
  attributeKeys: readonly string[];
  /** false while images are still arriving */
  complete: boolean;
}) {
  const zeroshot = rows.find((r) => r.method === 'zeroshot');
  const compared = comparedMethod(rows, selected);
  const story = useMemo(
    () => (zeroshot ? headline({ zeroshot, compared, k, classes, attributeKeys, complete }, pct) : null),
    [zeroshot, compared, k, classes, attributeKeys, complete],
  );
  return (
    <div className="results-headline" data-testid="results-headline" aria-live="polite">
      {story?.sentences.map((sentence) => (
        <p key={sentence.part} className={`headline-${sentence.part}`}>
          <span data-part={sentence.part}>
            {sentence.pieces.map((piece, i) =>
              piece.kind === 'number' ? (
                <strong key={i}>{piece.text}</strong>
              ) : piece.kind === 'group' ? (
                <span key={i} className="headline-group">
                  {piece.text}
                </span>
              ) : (
                piece.text
              ),
            )}
          </span>
          {sentence.part === 'baseline' && <InfoTip term="worstGroup" />}
          {sentence.part === 'small' && <InfoTip term="interval" />}
        </p>
      ))}
    </div>
  );
}
