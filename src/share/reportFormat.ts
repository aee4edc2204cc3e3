/**
 * The JSON report `sage-report/1`: everything needed to reopen a run in the full results view. This file is
 * the format (types, version, limits); reportBuild.ts writes it, reportRead.ts reads and validates it.
 *
 *   { format: "sage-report/1", appVersion, createdAt (ISO),
 *     config: ExplorerConfig, runtime: RuntimeInfo | null (null: results came from an embedding bundle),
 *     dataset: { classes, attributes, attributeSource?, images: [{ id, class, attribute, thumbnail? }] },
 *     embeddings?: { dim, text, images, groupPrompts?, prompts? },          // base64 little-endian float32
 *     results: [{ config: MethodConfig, metrics: Metrics, kSelected,
 *                 predicted: number[N], scores: base64 f32 N×C, selected: base64 u16 N×kSelected,
 *                 parameters? (SPEC §7 methods: what they used and found; NaN written as null) }],
 *     training?: { adapter: sage-adapter/1 (core adapterFormat), settings: { variant, epochs, templateCount,
 *                  optimizer, seed }, split: { origin: "given"|"made", seed, fractions, images: split per image } },
 *     machineCheck?: { model, measuredAt, images, batchSize, rows: [{ backend, dtype, imagesPerSecond|null,
 *                      fidelity|null, problem? }], recommended: { backend, dtype }|null, applied } }
 *
 * Decisions:
 * - `dataset.classes[c]` is the label images carry (`images[i].class`, usually the folder name) for class
 *   index c; `config.classes[c]` is the string inserted into templates. Same length, same order.
 * - Embeddings are optional. With them (image + text embeddings of `config.templates` × `config.classes`,
 *   template-major like the bundle) the report rebuilds an EmbeddingBundle (`reportToBundle`) and the
 *   whole results view works, K slider included. Without them the stored metrics and predictions are
 *   shown. Stored as base64 float32: exact, and ~4× smaller than decimal text.
 * - Metric NaNs (empty groups) are written as null (JSON has no NaN) and read back as NaN.
 * - Thumbnails must be `data:image/(png|jpeg|webp);base64,…` and small; anything else (a remote URL
 *   would make the page fetch it; SVG can carry script) is dropped with a warning.
 * - A trained adapter (issue 15) travels with its settings and the split it was trained on (one split per image,
 *   in dataset.images order), so the reopened report shows the same trained row on the same test split. The
 *   adapter is checked with core's sage-adapter/1 schema (valibot) on read; its row is recomputed, not stored.
 * - `dataset.attributeSource` is there only when the attributes are labels CLIP inferred (issue 14's discovery
 *   hand-off), saying how ("inferred from CLIP tags for the word water (not the images' own labels)").
 * - Every string in a report (class names, file names, notes) is data: the UI must render it as text,
 *   never as HTML.
 */
import type { MethodParameter } from '../core/attributeMethods';
import type { BackendId, Dtype, ExplorerConfig, RuntimeInfo } from '../core/config';
import type { TrainedAdapter } from '../core/adapterTypes';
import type { SplitFractions } from '../core/splits';
import type { GroupPrompt, ImageRecord, MethodResult, Metrics, Split } from '../core/types';
import type { Migrations } from './versioning';

export const REPORT_VERSION = 1;
export const REPORT_FORMAT = `sage-report/${REPORT_VERSION}` as const;

/** Older report versions → one step newer. Empty while v1 is the only version. */
export const REPORT_MIGRATIONS: Migrations = {};

export const REPORT_LIMITS = {
  images: 1_000_000,
  results: 64,
  dim: 8192,
  idLength: 4096,
  /** characters of one thumbnail data URL (~48 KB of image) */
  thumbnailChars: 65_536,
  notes: 100,
  /** extra text embeddings (attribute phrases, accept phrases) */
  prompts: 100_000,
  /** recorded parameters per SPEC §7 result */
  parameters: 64,
} as const;

export interface ReportImage extends ImageRecord {
  /** small data:image URL, optional */
  thumbnail?: string;
}

export interface ReportDataset {
  /** the labels images carry, index-aligned with config.classes */
  classes: string[];
  attributes: string[];
  /** only when the attributes were inferred by CLIP: how (provenance's inferredAttributeNote) */
  attributeSource?: string;
  images: ReportImage[];
}

export interface ReportEmbeddings {
  dim: number;
  /** M·C rows of `dim`, template-major over config.templates × config.classes */
  text: Float32Array;
  /** N rows of `dim`, in dataset.images order */
  images: Float32Array;
  groupPrompts?: GroupPrompt[];
  /** extra text embeddings by exact text (issue 11: what the SPEC §7 methods need), as in the bundle */
  prompts?: { text: string; embedding: Float32Array }[];
}

export interface ReportResult extends MethodResult {
  metrics: Metrics;
  /** SPEC §7 methods: their recorded parameters (α per attribute, directions kept, λ, …) */
  parameters?: Record<string, MethodParameter>;
}

/** A trained adapter with what it was trained with (issue 15). */
export interface ReportTraining {
  adapter: TrainedAdapter;
  settings: { variant: 'ls' | 'vs'; epochs: number; templateCount: number; optimizer: 'adam' | 'sgd'; seed: number };
  split: { origin: 'given' | 'made'; seed: number; fractions: SplitFractions; images: Split[] };
}

export interface SageReport {
  format: typeof REPORT_FORMAT;
  appVersion: string;
  /** ISO 8601 */
  createdAt: string;
  config: ExplorerConfig;
  /** null when results were computed from a dropped embedding bundle */
  runtime: RuntimeInfo | null;
  dataset: ReportDataset;
  embeddings?: ReportEmbeddings;
  results: ReportResult[];
  training?: ReportTraining;
  /** "Check this machine" (issue 16 §5), when one was run for this model */
  machineCheck?: ReportMachineCheck;
}

/**
 * What "Check this machine" measured (issue 16 §5): per backend × precision, images per second over the timed
 * batches and the lowest cosine to WASM fp32 on the same images (null: did not run / not compared, with why),
 * what it recommended, and whether that choice was in use when the report was made.
 */
export interface ReportMachineCheck {
  model: string;
  /** ISO 8601 */
  measuredAt: string;
  images: number;
  batchSize: number;
  rows: {
    backend: BackendId;
    dtype: Dtype;
    imagesPerSecond: number | null;
    fidelity: number | null;
    problem?: string;
  }[];
  recommended: { backend: BackendId; dtype: Dtype } | null;
  applied: boolean;
}

export type ReportParseResult =
  { ok: true; report: SageReport; warnings: string[]; migratedFrom?: number } | { ok: false; error: string };
export type ReportBuildResult = { ok: true; report: SageReport; warnings: string[] } | { ok: false; error: string };
