/**
 * Writing a `sage-report/1` (format in reportFormat.ts): assembled from a run, checked with the reader's rules so
 * an export that would not reopen is refused at export time, and written as JSON with base64 arrays.
 */
import { serializeAdapter } from '../core/adapterFormat';
import { floatsToBase64, uint16ToBase64 } from '../core/base64';
import type { ExplorerConfig, RuntimeInfo } from '../core/config';
import { errorMessage } from '../core/errors';
import type { ImageRecord } from '../core/types';
import { APP_VERSION } from './appVersion';
import { inferredAttributeNote, type InferredAttributeSource } from './provenance';
import {
  REPORT_FORMAT,
  type ReportBuildResult,
  type ReportEmbeddings,
  type ReportImage,
  type ReportMachineCheck,
  type ReportResult,
  type ReportTraining,
  type SageReport,
} from './reportFormat';
import { parseReportValue } from './reportRead';

export interface BuildReportInput {
  config: ExplorerConfig;
  runtime: RuntimeInfo | null;
  dataset: {
    classes: readonly string[];
    attributes: readonly string[];
    images: readonly ImageRecord[];
    /** the results' inferred attribute (results.inferred), when the attributes are CLIP's guess */
    inferred?: InferredAttributeSource | null;
  };
  /** image id → small data:image URL; only included when given */
  thumbnails?: ReadonlyMap<string, string>;
  embeddings?: ReportEmbeddings;
  results: readonly ReportResult[];
  /** a trained adapter and its settings and split (issue 15) */
  training?: ReportTraining;
  /** "Check this machine": its figures and choice (issue 16 §5) */
  machineCheck?: ReportMachineCheck;
  createdAt?: Date;
  appVersion?: string;
}

/**
 * Assembles a report and checks it with the same rules a reader applies, so an export that would not
 * reopen is caught at export time. Never throws.
 */
export function buildReport(input: BuildReportInput): ReportBuildResult {
  try {
    const images: ReportImage[] = input.dataset.images.map((image) => {
      const thumbnail = input.thumbnails?.get(image.id);
      const record: ReportImage = { id: image.id, class: image.class, attribute: image.attribute };
      if (thumbnail !== undefined) record.thumbnail = thumbnail;
      return record;
    });
    const report: SageReport = {
      format: REPORT_FORMAT,
      appVersion: input.appVersion ?? APP_VERSION,
      createdAt: (input.createdAt ?? new Date()).toISOString(),
      config: input.config,
      runtime: input.runtime,
      dataset: { classes: [...input.dataset.classes], attributes: [...input.dataset.attributes], images },
      results: input.results.map((result) => ({ ...result })),
    };
    // the attributes are CLIP's guess, not the images' own labels: the report says so beside them
    if (input.dataset.inferred) report.dataset.attributeSource = inferredAttributeNote(input.dataset.inferred);
    if (input.embeddings) report.embeddings = input.embeddings;
    if (input.training) report.training = input.training;
    if (input.machineCheck) report.machineCheck = input.machineCheck;
    // The reader's validation on the in-memory form (typed arrays are checked, not re-encoded):
    // one set of rules for writing and reading.
    const reread = parseReportValue(toReportJson(report, 'typed'));
    if (!reread.ok) return { ok: false, error: `cannot export this report: ${reread.error}` };
    return { ok: true, report, warnings: reread.warnings };
  } catch (e) {
    return { ok: false, error: `cannot export this report: internal error: ${errorMessage(e)}` };
  }
}

/** The report as JSON text (compact; large arrays are base64). */
export function stringifyReport(report: SageReport): string {
  return JSON.stringify(toReportJson(report));
}

/** 'base64' is the file form; 'typed' keeps typed arrays in place so validation skips encoding. */
function toReportJson(report: SageReport, arrays: 'base64' | 'typed' = 'base64'): Record<string, unknown> {
  const floats = (values: Float32Array): string | Float32Array =>
    arrays === 'typed' ? values : floatsToBase64(values);
  const json: Record<string, unknown> = {
    format: report.format,
    appVersion: report.appVersion,
    createdAt: report.createdAt,
    config: report.config,
    runtime: report.runtime,
    dataset: report.dataset,
  };
  if (report.embeddings) {
    const { dim, text, images, groupPrompts, prompts } = report.embeddings;
    const embeddings: Record<string, unknown> = { dim, text: floats(text), images: floats(images) };
    if (groupPrompts) {
      embeddings.groupPrompts = groupPrompts.map((g) => ({
        class: g.class,
        attribute: g.attribute,
        prompt: g.prompt,
        embedding: floats(g.embedding),
      }));
    }
    if (prompts) embeddings.prompts = prompts.map((p) => ({ text: p.text, embedding: floats(p.embedding) }));
    json.embeddings = embeddings;
  }
  json.results = report.results.map((result) => {
    const entry: Record<string, unknown> = {
      config: result.config,
      metrics: result.metrics,
      kSelected: result.kSelected,
      predicted: arrays === 'typed' ? result.predicted : Array.from(result.predicted),
      scores: floats(result.scores),
      selected: arrays === 'typed' ? result.selected : uint16ToBase64(result.selected),
    };
    if (result.parameters) entry.parameters = result.parameters;
    return entry;
  });
  if (report.training) {
    const { adapter, settings, split } = report.training;
    // the adapter in its own file form (matrices base64, NaN as null), so `sage-adapter/1` readers take it as is
    json.training = { adapter: JSON.parse(serializeAdapter(adapter)) as unknown, settings, split };
  }
  if (report.machineCheck) json.machineCheck = report.machineCheck;
  return json;
}
