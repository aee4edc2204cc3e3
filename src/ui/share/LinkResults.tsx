import { useMemo, useState } from 'react';
import type { MethodId } from '../../core';
import { keptGroupsText, linkReportRows, type LinkReport } from '../../share/linkReport';
import { ComparisonTable } from '../results/ComparisonTable';
import { Headline } from '../results/Headline';
import { groupLabel, pct } from '../format';
import './linkResults.css';

/** "1 Dec 2026" (UTC), or the text as sent when it is not a date. */
export function madeOn(date: string): string {
  const parsed = new Date(date);
  if (Number.isNaN(parsed.getTime())) return date;
  return parsed.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The numbers a shared link carries (issue 13 §5), shown before anything runs: the headline in words, the methods
 * table and the per-group table, built by the results view's own Headline and ComparisonTable from the link's
 * integers. Choosing another method in the table re-words the headline and the group table, as in the results.
 * Nothing here can change K or the templates: for that the recipient runs it.
 */
export function LinkResults({ report }: { report: LinkReport }) {
  const rows = useMemo(() => linkReportRows(report), [report]);
  const [choice, setChoice] = useState<MethodId>(report.selected);
  const selected =
    rows.find((r) => r.method === choice) ?? rows.find((r) => r.method === 'sage') ?? rows[rows.length - 1];
  const zeroshot = rows.find((r) => r.method === 'zeroshot');
  const complete = report.groupsKept >= report.groupCount;
  const { provenance } = report;
  if (!selected) return null;
  return (
    <section className="link-results" aria-labelledby="link-results-heading" data-testid="link-results">
      <h2 id="link-results-heading">
        Results from a shared link (made {madeOn(provenance.date)} with {provenance.model} {provenance.dtype}): run it
        yourself to explore
      </h2>
      <p className="muted" data-testid="link-results-provenance">
        Computed by the sender with SAGE Explorer {provenance.appVersion} ({provenance.backend}) on{' '}
        {report.images.toLocaleString('en')} images in {keptGroupsText(report.groupCount, report.groupCount)}. Nothing
        has run on this device; the link holds these numbers only, never images.
        {!complete && (
          <>
            {' '}
            The per-group table shows {keptGroupsText(report.groupsKept, report.groupCount)}: the link was kept short.
          </>
        )}
      </p>
      {zeroshot && (
        <Headline
          rows={rows}
          selected={selected}
          k={report.k}
          // with rows dropped, groups absent from the link are not groups without images
          classes={complete ? report.classes : []}
          attributeKeys={complete ? report.attributes : []}
          complete={complete}
        />
      )}
      <ComparisonTable
        rows={rows}
        unavailable={[]}
        notes={{}}
        pending={[]}
        selected={selected.method}
        onSelect={setChoice}
        k={report.k}
      />
      <GroupTable rows={rows} selected={selected} zeroshot={zeroshot} />
    </section>
  );
}

type Row = { method: MethodId; label: string; metrics: LinkReport['methods'][number]['metrics'] };

/** Per group: images, zero-shot's accuracy and the selected method's, each with its correct count. */
function GroupTable({ rows, selected, zeroshot }: { rows: readonly Row[]; selected: Row; zeroshot?: Row }) {
  const baseline = zeroshot ?? rows[0];
  const same = baseline.method === selected.method;
  const byKey = new Map(selected.metrics.groups.map((g) => [`${g.class}\u0000${g.attribute}`, g]));
  const worst = (row: Row, g: { class: string; attribute: string }) =>
    row.metrics.worstGroup.class === g.class && row.metrics.worstGroup.attribute === g.attribute;
  return (
    <div className="table-wrap">
      <table className="link-groups" data-testid="link-group-table">
        <caption>
          Accuracy per group (class / attribute): how many of the group's images each method classified correctly.
          {' ◀ '}marks a method's worst group.
        </caption>
        <thead>
          <tr>
            <th scope="col">group</th>
            <th scope="col">images (n)</th>
            <th scope="col">{baseline.label}</th>
            {!same && <th scope="col">{selected.label}</th>}
          </tr>
        </thead>
        <tbody>
          {baseline.metrics.groups.map((g) => {
            const other = byKey.get(`${g.class}\u0000${g.attribute}`);
            return (
              <tr key={`${g.class}/${g.attribute}`} data-group={groupLabel(g.class, g.attribute)}>
                <th scope="row">{groupLabel(g.class, g.attribute)}</th>
                <td>{g.n}</td>
                <td data-series="baseline">
                  <strong>{pct(g.accuracy)}</strong> <span className="muted">({g.correct} correct)</span>
                  {worst(baseline, g) && <span className="worst-mark"> ◀ worst</span>}
                </td>
                {!same && (
                  <td data-series="selected">
                    {other ? (
                      <>
                        <strong>{pct(other.accuracy)}</strong> <span className="muted">({other.correct} correct)</span>
                        {worst(selected, g) && <span className="worst-mark"> ◀ worst</span>}
                      </>
                    ) : (
                      '–'
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
