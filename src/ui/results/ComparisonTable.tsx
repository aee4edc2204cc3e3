import type { MethodId } from '../../core';
import type { MethodRow } from '../../state/derive/views';
import { groupLabel, interval, pct } from '../format';

/** Rows = methods, columns = accuracy / WGA (with its group) / gap / HM, each with n and a 95% interval. */
export function ComparisonTable({
  rows,
  selected,
  onSelect,
  k,
}: {
  rows: MethodRow[];
  selected: MethodId;
  onSelect: (m: MethodId) => void;
  k: number;
}) {
  return (
    <div className="table-wrap">
      <table className="comparison" data-testid="comparison-table">
        <caption>
          Methods compared (K = {k}). Intervals are 95% Wilson intervals; n is the number of images behind each figure.
        </caption>
        <thead>
          <tr>
            <th scope="col">method</th>
            <th scope="col">accuracy</th>
            <th scope="col">worst-group accuracy</th>
            <th scope="col">gap</th>
            <th scope="col">HM</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const m = row.metrics;
            const isSelected = row.method === selected;
            return (
              <tr key={row.method} className={isSelected ? 'selected' : undefined} data-method={row.method}>
                <th scope="row">
                  <label className="method-pick">
                    <input type="radio" name="method" checked={isSelected} onChange={() => onSelect(row.method)} />
                    <span>{row.label}</span>
                  </label>
                  {row.usesAttributes && <span className="badge">uses attribute knowledge</span>}
                  {row.method === 'sage' || row.method === 'random' ? <span className="muted"> K = {k}</span> : null}
                </th>
                <td data-metric="accuracy">
                  <strong>{pct(m.accuracy)}</strong>
                  <span className="sub">
                    n = {m.n} · {interval(m.accuracyCi95.low, m.accuracyCi95.high)}
                  </span>
                </td>
                <td data-metric="wga">
                  <strong>{pct(m.worstGroupAccuracy)}</strong>
                  <span className="sub">
                    {groupLabel(m.worstGroup.class, m.worstGroup.attribute)} · n = {m.worstGroup.n} ·{' '}
                    {interval(m.worstGroup.ci95.low, m.worstGroup.ci95.high)}
                  </span>
                </td>
                <td data-metric="gap">{pct(m.gap)}</td>
                <td data-metric="hm">{pct(m.harmonicMean)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
