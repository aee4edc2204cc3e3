import { useMemo } from 'react';
import { pseudoAttributeGroups, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { DiscrepancyView } from './DiscrepancyView';
import { EmbeddingMap } from './EmbeddingMap';
import { Gallery } from './Gallery';
import { GroupChart } from './GroupChart';
import { SeparationChart } from './SeparationChart';

/** The charts and drill-downs under the comparison table. */
export function ResultsDetails({
  input,
  rows,
  selected,
}: {
  input: ResultsInput;
  rows: MethodRow[];
  selected: MethodRow;
}) {
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
