import { useDataset } from '../../state/dataset';

/** Every file that was not used, with the reason: nothing is dropped silently. */
export function SkippedList() {
  const skipped = useDataset((s) => s.skipped);
  if (skipped.length === 0) return null;
  return (
    <details className="skipped" open={skipped.length <= 20} data-testid="skipped-list">
      <summary>Skipped files ({skipped.length})</summary>
      <ul>
        {skipped.slice(0, 500).map((s, i) => (
          <li key={`${s.path}-${i}`}>
            <span className="path">{s.path}</span> — <span className="reason">{s.reason}</span>
          </li>
        ))}
      </ul>
      {skipped.length > 500 && <p>…and {skipped.length - 500} more.</p>}
    </details>
  );
}
