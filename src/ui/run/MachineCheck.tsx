import type { BackendId, Dtype } from '../../core/config';
import {
  CHECK_BATCH,
  MIN_FIDELITY,
  backendWords,
  dtypeWords,
  useMachineCheck,
  type MachineCheckRow,
} from '../../state/machineCheck';
import { useSettings } from '../../state/settings';
import './machineCheck.css';

function speedWords(row: MachineCheckRow): string {
  if (row.imagesPerSecond === null) return 'did not run';
  return `${row.imagesPerSecond.toFixed(1)} images per second`;
}

function fidelityWords(row: MachineCheckRow): string {
  if (row.fidelity === null) return row.imagesPerSecond === null ? '—' : 'not compared';
  const verdict = row.fidelity >= MIN_FIDELITY ? 'same results' : 'results may differ';
  return `${row.fidelity.toFixed(4)}: ${verdict}`;
}

const same = (row: MachineCheckRow, choice: { backend: BackendId; dtype: Dtype } | null) =>
  choice !== null && row.backend === choice.backend && row.dtype === choice.dtype;

/**
 * "Check this machine" (issue 16 §5): times the chosen model on a few of the user's images on each way this
 * browser can run it, says in words how fast each is and whether it keeps the results, and applies the
 * recommendation to the settings on request.
 */
export function MachineCheck({ disabled }: { disabled: boolean }) {
  const { status, step, result, applied, error, run, apply } = useMachineCheck();
  const model = useSettings((s) => s.model);
  const running = status === 'running';
  const current = result && result.model === model ? result : null;
  const recommended = current?.recommended ?? null;
  return (
    <details className="machine-check" data-testid="machine-check">
      <summary>Check this machine</summary>
      <p className="note">
        Times the model on a few of your images ({CHECK_BATCH} at a time) in each way this browser can run it, and
        checks that each precision gives the same embeddings as full precision (similarity 1 means identical; at least{' '}
        {MIN_FIDELITY} keeps the results). Then it recommends the fastest that keeps them.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() => void run()}
          disabled={disabled || running}
          data-testid="machine-check-run"
        >
          {current ? 'Check again' : 'Check this machine'}
        </button>
      </div>
      <p className="machine-check-step" aria-live="polite" data-testid="machine-check-step">
        {running ? step : '\u00a0'}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="machine-check-error">
          {error}
        </p>
      )}
      {current && (
        <>
          <div className="table-wrap">
            <table className="machine-check-table" data-testid="machine-check-table">
              <caption>
                {current.model} on {current.images} of your images
              </caption>
              <thead>
                <tr>
                  <th scope="col">How it runs</th>
                  <th scope="col">Speed</th>
                  <th scope="col">Agreement with full precision (1 = identical)</th>
                </tr>
              </thead>
              <tbody>
                {current.rows.map((row) => (
                  <tr
                    key={`${row.backend}-${row.dtype}`}
                    data-testid="machine-check-row"
                    className={same(row, recommended) ? 'recommended' : undefined}
                  >
                    <th scope="row">
                      {backendWords(row.backend)}, {dtypeWords(row.dtype)}
                      {same(row, recommended) && <span className="machine-check-badge">recommended</span>}
                    </th>
                    <td>{speedWords(row)}</td>
                    <td>
                      {fidelityWords(row)}
                      {row.problem && <span className="machine-check-problem">{row.problem}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {recommended ? (
            <div className="button-row">
              <p
                data-testid="machine-check-recommendation"
                data-backend={recommended.backend}
                data-dtype={recommended.dtype}
              >
                Recommended: {backendWords(recommended.backend)}, {dtypeWords(recommended.dtype)}
                {applied ? ' — in use: your next run uses it, and reports record this check.' : '.'}
              </p>
              {!applied && (
                <button
                  type="button"
                  className="primary"
                  onClick={apply}
                  disabled={disabled}
                  data-testid="machine-check-apply"
                >
                  Use it
                </button>
              )}
            </div>
          ) : (
            <p className="error" data-testid="machine-check-recommendation">
              Nothing to recommend: no way of running this model worked here and kept the results.
            </p>
          )}
        </>
      )}
    </details>
  );
}
