/**
 * Opening a sage-report/1 JSON (dropped, or fetched from #report=<url>) into the full results view.
 * Reports from another version either migrate (src/share) or fail with the reason, shown verbatim.
 */
import { applyConfig } from '../../state/config';
import { openBundle } from '../../state/results';
import { parseReport, reportToBundle } from '../../share/report';

export type OpenReportOutcome = { ok: true; warnings: string[] } | { ok: false; error: string };

export function openReportText(text: string, name: string): OpenReportOutcome {
  const parsed = parseReport(text);
  if (!parsed.ok) return { ok: false, error: `${name}: ${parsed.error}` };
  const { report } = parsed;
  const bundle = reportToBundle(report);
  if (!bundle) {
    return { ok: false, error: `${name}: this report was saved without embeddings, so it cannot be reopened into the interactive view` };
  }
  applyConfig(report.config, `report ${name}`, parsed.warnings);
  const thumbnails = new Map<string, Blob | string>();
  for (const image of report.dataset.images) if (image.thumbnail) thumbnails.set(image.id, image.thumbnail);
  openBundle(bundle, { kind: 'report', label: `${name} (${report.appVersion}, ${report.createdAt.slice(0, 10)})` }, {
    thumbnails,
    runtime: report.runtime,
    view: { method: report.config.method, k: report.config.k, aggregate: report.config.aggregate, seed: report.config.seed, zeroshotTemplate: report.config.zeroshotTemplate },
  });
  return { ok: true, warnings: parsed.warnings };
}

/** #report=<url>: fetch and open. Only what the page's CSP allows (the app's own origin) can be fetched. */
export async function openReportUrl(url: string): Promise<OpenReportOutcome> {
  let response: Response;
  try {
    response = await fetch(new URL(url, location.href));
  } catch (error) {
    return { ok: false, error: `could not fetch the report at ${url}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!response.ok) return { ok: false, error: `could not fetch the report at ${url}: HTTP ${response.status}` };
  return openReportText(await response.text(), url.slice(url.lastIndexOf('/') + 1) || url);
}
