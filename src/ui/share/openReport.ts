/**
 * Opening a sage-report/1 JSON (dropped, or fetched from #report=<url>) into the full results view.
 * Reports from another version either migrate (src/share) or fail with the reason, shown verbatim.
 */
import { applyConfig } from '../../state/config';
import { openBundle } from '../../state/results';
import { restoreTraining } from '../../state/training';
import { loadReportFromUrl } from '../../share/reportLoader';
import type { ReportParseResult } from '../../share/reportFormat';
import { parseReport, reportToBundle } from '../../share/reportRead';

export type OpenReportOutcome = { ok: true; warnings: string[] } | { ok: false; error: string };

export function openReportText(text: string, name: string): OpenReportOutcome {
  return openParsedReport(parseReport(text), name);
}

/** A validated (or refused) report into the results view; `name` labels it in messages and the header. */
export function openParsedReport(parsed: ReportParseResult, name: string): OpenReportOutcome {
  if (!parsed.ok) return { ok: false, error: `${name}: ${parsed.error}` };
  const { report } = parsed;
  const reportBundle = reportToBundle(report);
  // issue 15: each image keeps the split its adapter was trained on, so "the splits the images came with" is it
  const training = report.training;
  const bundle =
    reportBundle && training
      ? {
          ...reportBundle,
          images: reportBundle.images.map((image, i) => ({ ...image, split: training.split.images[i] })),
        }
      : reportBundle;
  if (!bundle) {
    return {
      ok: false,
      error: `${name}: this report was saved without embeddings, so it cannot be reopened into the interactive view`,
    };
  }
  const warnings =
    parsed.migratedFrom !== undefined
      ? [`upgraded from sage-report/${parsed.migratedFrom}`, ...parsed.warnings]
      : parsed.warnings;
  applyConfig(report.config, `report ${name}`, warnings, { kind: 'report' });
  const thumbnails = new Map<string, Blob | string>();
  for (const image of report.dataset.images) if (image.thumbnail) thumbnails.set(image.id, image.thumbnail);
  openBundle(
    bundle,
    { kind: 'report', label: `${name} (${report.appVersion}, ${report.createdAt.slice(0, 10)})` },
    {
      thumbnails,
      runtime: report.runtime,
      // what the report says produced it; compared with the panels once images are added (state/staleness.ts)
      producedBy: {
        classes: report.config.classes,
        attributes: report.config.attributes,
        templates: report.config.templates,
        groupPromptPattern: report.config.attributes.length > 0 ? report.config.groupPromptPattern : undefined,
        model: report.config.model,
        dtype: report.config.dtype,
      },
      view: {
        method: report.config.method,
        k: report.config.k,
        aggregate: report.config.aggregate,
        seed: report.config.seed,
        zeroshotTemplate: report.config.zeroshotTemplate,
      },
    },
  );
  if (training) restoreTraining(training, bundle.images);
  return { ok: true, warnings };
}

/**
 * #report=<url> (already checked to be http(s) by parseHashRoute): fetched size-capped and validated by
 * src/share's loader. Only what the page's CSP connect-src allows can be fetched.
 */
export async function openReportUrl(url: string): Promise<OpenReportOutcome> {
  const parsed = await loadReportFromUrl(url);
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || '') || url;
  return openParsedReport(parsed, name);
}
