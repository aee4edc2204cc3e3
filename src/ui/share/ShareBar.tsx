import { useState } from 'react';
import { exportedBundleJson } from '../../state/bundleExport';
import { currentStaleness, resultsConfig } from '../../state/config';
import { compareMethods, type ResultsInput } from '../../state/derive/views';
import { promptsBesidesGroupPrompts, useResults } from '../../state/results';
import { describeChanges } from '../../state/staleness';
import { groupsCsv, imagesCsv } from '../../share/csv';
import { makeProvenance } from '../../share/provenance';
import { buildReport, stringifyReport } from '../../share/reportBuild';
import { machineCheckForReport } from '../../state/machineCheck';
import { trainingForReport } from '../../state/training';
import {
  LINK_REPORT_BUDGET,
  encodeLinkReport,
  exampleOf,
  keptGroupsText,
  shareUrlWithResults,
} from '../../share/linkReport';
import { EXAMPLES } from '../ingest/loadExample';
import { downloadBlob } from './exportChart';
import { thumbnailDataUrl } from './thumbnails';
import './shareBar.css';

/** "1,234 characters" */
const characters = (n: number): string => `${n.toLocaleString('en')} characters`;

/**
 * Copy a link (with a summary of the results, or the configuration only; never images), export a report, CSVs, or
 * the embeddings bundle. The link with results is the default: the recipient sees the numbers without running
 * (issue 13 §5, src/share/linkReport.ts). Its rows are the comparison the report and CSV export (all images).
 */
export function ShareBar({ input }: { input: ResultsInput | null }) {
  const [link, setLink] = useState('');
  const [message, setMessage] = useState('');
  const [withThumbnails, setWithThumbnails] = useState(false);
  const [busy, setBusy] = useState(false);

  /** The results part and what it says about itself, or why there is none. */
  const resultsPart = (): { param: string; says: string } | { error: string } => {
    if (!input) return { error: 'the results are not ready yet' };
    const state = useResults.getState();
    const config = resultsConfig();
    const rows = compareMethods(input, state.view);
    const encoded = encodeLinkReport({
      provenance: makeProvenance(config, state.runtime),
      example: exampleOf(
        input.records,
        EXAMPLES.map((e) => e.id),
      ),
      classes: input.classes,
      attributes: input.attributeKeys,
      images: input.records.length,
      k: state.view.k,
      selected: state.view.method,
      methods: rows.map((r) => ({ method: r.method, label: r.label, metrics: r.metrics })),
    });
    if (!encoded.ok) return { error: encoded.error };
    const cut =
      encoded.groupsKept < encoded.groupCount
        ? ` Per-group rows: ${keptGroupsText(encoded.groupsKept, encoded.groupCount)}, to keep the results part under ${characters(LINK_REPORT_BUDGET)}; export a report for every group.`
        : '';
    const example = exampleOf(
      input.records,
      EXAMPLES.map((e) => e.id),
    );
    return {
      param: encoded.param,
      says:
        `It carries the configuration and the results (${rows.length} methods, ${keptGroupsText(encoded.groupsKept, encoded.groupCount)}: counts and accuracies, provenance), never images or file names` +
        (example ? '; it says they came from the built-in example, so the recipient can run it there.' : '.') +
        cut,
    };
  };

  const copyLink = async (withResults: boolean) => {
    // the setup that produced the numbers on screen, not edits made since (issue 12 §6)
    const config = resultsConfig();
    const part = withResults ? resultsPart() : null;
    const param = part && 'param' in part ? part.param : null;
    const url = shareUrlWithResults(config, param, location.href);
    const changes = currentStaleness();
    const fromRun = useResults.getState().source?.kind === 'run';
    const honesty =
      changes.length === 0
        ? ''
        : fromRun
          ? ` It sets up the results on screen, not your later ${changes.length > 1 ? 'changes' : 'change'} to ${describeChanges(changes)}: run again to share ${changes.length > 1 ? 'those' : 'that'}.`
          : ` It sets up the results on screen, not ${describeChanges(changes)} in your panels: run again to share those.`;
    const carries =
      part === null
        ? 'It carries the configuration only, never images.'
        : 'param' in part
          ? part.says
          : `It carries the configuration only: the results could not be added (${part.error}).`;
    setLink(url);
    const size = `(${characters(url.length)})`;
    try {
      await navigator.clipboard.writeText(url);
      setMessage(`Link copied ${size}. ${carries}${honesty}`);
    } catch {
      setMessage(`Copy the link below ${size}; the clipboard was not available. ${carries}${honesty}`);
    }
  };

  const exportReport = async () => {
    if (!input) return;
    setBusy(true);
    try {
      const state = useResults.getState();
      const config = resultsConfig();
      const rows = compareMethods(input, state.view);
      let thumbnails: Map<string, string> | undefined;
      if (withThumbnails) {
        thumbnails = new Map();
        for (const record of input.records) {
          const source = state.thumbnails.get(record.id);
          const url = typeof source === 'string' ? source : source ? await thumbnailDataUrl(source) : null;
          if (url) thumbnails.set(record.id, url);
        }
      }
      const attributes = [...new Set(input.records.map((r) => r.attribute))].sort();
      const built = buildReport({
        config: { ...config, classes: [...input.classes], templates: [...input.templates] },
        runtime: state.runtime,
        dataset: { classes: [...input.classes], attributes, images: input.records, inferred: state.inferred },
        thumbnails,
        embeddings: {
          dim: input.dim,
          text: state.text,
          images: input.embeddings.subarray(0, input.records.length * input.dim),
          groupPrompts: state.groupPrompts.length > 0 ? state.groupPrompts : undefined,
          prompts: promptsBesidesGroupPrompts(state),
        },
        results: rows.map((r) => ({ ...r.result, metrics: r.metrics })),
        training: trainingForReport(input.records),
        machineCheck: machineCheckForReport() ?? undefined,
      });
      if (!built.ok) return setMessage(built.error);
      downloadBlob(
        new Blob([stringifyReport(built.report)], { type: 'application/json' }),
        `sage-report-${stamp()}.json`,
      );
      setMessage(
        `Report exported${built.warnings.length ? ` (${built.warnings.join('; ')})` : ''}. Drop it on this page to reopen it.`,
      );
    } finally {
      setBusy(false);
    }
  };

  const exportCsv = (kind: 'images' | 'groups') => {
    if (!input) return;
    const state = useResults.getState();
    const rows = compareMethods(input, state.view);
    const provenance = makeProvenance({ ...resultsConfig(), inferred: state.inferred }, state.runtime);
    const text =
      kind === 'images'
        ? imagesCsv({
            provenance,
            classes: input.classes,
            images: input.records,
            results: rows.map((r) => r.result),
            templates: input.templates,
          })
        : groupsCsv({ provenance, results: rows.map((r) => ({ config: r.config, metrics: r.metrics })) });
    downloadBlob(
      new Blob([text], { type: 'text/csv' }),
      `sage-${kind === 'images' ? 'per-image' : 'per-group'}-${stamp()}.csv`,
    );
  };

  const exportBundle = () => {
    const json = exportedBundleJson();
    if (json === null) return;
    downloadBlob(new Blob([json], { type: 'application/json' }), `sage-embeddings-${stamp()}.json`);
  };

  return (
    <section className="panel share" aria-labelledby="share-heading" id="share">
      <h2 id="share-heading">Share and export</h2>
      <div className="share-bar">
        <button
          type="button"
          onClick={() => void copyLink(true)}
          disabled={!input}
          data-testid="copy-link-results"
          title="The configuration and a small summary of the results: the recipient sees the numbers without running"
        >
          Copy link with results
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void copyLink(false)}
          data-testid="copy-link"
          title="The configuration only: the recipient runs it on their images"
        >
          Copy link (configuration only)
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void exportReport()}
          disabled={!input || busy}
          data-testid="export-report"
        >
          Export report (JSON)
        </button>
        <label>
          <input type="checkbox" checked={withThumbnails} onChange={(e) => setWithThumbnails(e.target.checked)} />{' '}
          include small thumbnails
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() => exportCsv('images')}
          disabled={!input}
          data-testid="export-csv-images"
        >
          CSV per image
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => exportCsv('groups')}
          disabled={!input}
          data-testid="export-csv-groups"
        >
          CSV per group
        </button>
        <button
          type="button"
          className="secondary"
          onClick={exportBundle}
          disabled={!input}
          data-testid="export-bundle"
        >
          Embeddings bundle
        </button>
      </div>
      {link && (
        <input
          className="share-link"
          readOnly
          value={link}
          aria-label="share link"
          data-testid="share-link"
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
      <p className="status" role="status">
        {message}
      </p>
    </section>
  );
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}
