/**
 * Issue 12 §6 and §7 above the results: a banner when the panels changed since the results were made
 * (with "Run again"), and a sentence naming the groups the streamed results do not cover yet.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDataset } from '../../state/dataset';
import { groupsWithoutResults } from '../../state/embedOrder';
import { useResults } from '../../state/results';
import { useRun } from '../../state/run';
import { useSettings } from '../../state/settings';
import { datasetSetup, setupChanges, staleSentence, type SetupChange } from '../../state/staleness';
import { groupLabel } from '../format';
import './staleBanner.css';

/** What changed since the results on screen were made ([] when they are current). */
export function useStaleChanges(): SetupChange[] {
  const producedBy = useResults((s) => s.producedBy);
  const dataset = useDataset(
    useShallow((s) => ({
      images: s.images,
      classText: s.classText,
      attributeText: s.attributeText,
      templates: s.templates,
      groupPromptPattern: s.groupPromptPattern,
    })),
  );
  const model = useSettings((s) => s.model);
  const dtype = useSettings((s) => s.dtype);
  const current = useMemo(() => datasetSetup(dataset, model, dtype), [dataset, model, dtype]);
  return useMemo(() => (producedBy ? setupChanges(producedBy, current) : []), [producedBy, current]);
}

const RUNNING = new Set(['loading', 'text', 'images']);

export function StaleBanner() {
  const changes = useStaleChanges();
  const phase = useRun((s) => s.phase);
  const source = useResults((s) => s.source?.kind ?? 'run');
  if (changes.length === 0) return null;
  const running = RUNNING.has(phase);
  return (
    <div className="stale-banner" role="status" data-testid="stale-banner">
      <p>
        <strong>Out of date.</strong> {staleSentence(changes, source)}
      </p>
      <button
        type="button"
        onClick={() => void useRun.getState().start()}
        disabled={running}
        data-testid="stale-run-again"
      >
        {running ? 'Running…' : 'Run again'}
      </button>
    </div>
  );
}

/** "2 of 4 groups have no results yet: …" while streaming; after a stopped run, why they have none. */
export function GroupsWithoutResults({ analysed }: { analysed: number }) {
  const groups = useResults((s) => s.expectedGroups);
  const expected = useResults((s) => s.expected);
  const records = useResults((s) => s.records);
  const phase = useRun((s) => s.phase);
  const missing = useMemo(() => groupsWithoutResults(groups, records, analysed), [groups, records, analysed]);
  if (missing.length === 0 || analysed === 0) return null;
  const names = missing.map((g) => groupLabel(g.class, g.attribute)).join(', ');
  const count = `${missing.length} of ${groups.length} ${groups.length === 1 ? 'group' : 'groups'}`;
  const verb = missing.length === 1 ? 'has' : 'have';
  const streaming = RUNNING.has(phase) && analysed < expected;
  const sentence = streaming
    ? `${count} ${verb} no results yet (${names}): their images are still being embedded, so the numbers below leave them out for now.`
    : phase === 'cancelled' || phase === 'error'
      ? `${count} ${verb} no results (${names}): the run ${phase === 'cancelled' ? 'was cancelled' : 'stopped'} before their images were embedded. Run again to include them.`
      : `${count} ${verb} no results (${names}): none of their images could be read, so the numbers below leave them out.`;
  return (
    <p className="groups-without-results" data-testid="groups-without-results">
      {sentence}
    </p>
  );
}
