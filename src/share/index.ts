/** Share and export (issue 5 §5–6): config links, reports, CSV, PNG, downloads, hash routes. */
export { APP_NAME, APP_VERSION } from './appVersion';
export { BUNDLE_BACKEND, makeProvenance, provenanceEntries, provenanceLine, type Provenance } from './provenance';
export {
  LINK_LIMITS,
  LINK_MIGRATIONS,
  LINK_V1_DEFAULTS,
  LINK_VERSION,
  configToHash,
  decodeConfigHash,
  decodeConfigParam,
  encodeConfigParam,
  shareUrl,
  type ConfigDecodeResult,
} from './urlState';
export {
  CONFIG_LIMITS,
  checkExplorerConfig,
  validateExplorerConfig,
  type ConfigCheck,
  type ValidatedConfig,
} from './configValidation';
export {
  REPORT_FORMAT,
  REPORT_LIMITS,
  REPORT_MIGRATIONS,
  REPORT_VERSION,
  type ReportBuildResult,
  type ReportDataset,
  type ReportEmbeddings,
  type ReportImage,
  type ReportParseResult,
  type ReportResult,
  type SageReport,
} from './reportFormat';
export { buildReport, stringifyReport, type BuildReportInput } from './reportBuild';
export { parseReport, parseReportValue, reportToBundle, type ParseReportOptions } from './reportRead';
export {
  REPORT_MAX_BYTES,
  loadReportFromFile,
  loadReportFromUrl,
  openDroppedJson,
  type DroppedJson,
  type LoadReportOptions,
} from './reportLoader';
export { parseHashRoute, reportHash, type HashRoute } from './hashRoute';
export {
  csvNumber,
  csvText,
  groupsCsv,
  imagesCsv,
  methodColumnId,
  methodColumnIds,
  type GroupsCsvInput,
  type ImagesCsvInput,
} from './csv';
export { chartToPng, serializeChartSvg, type ChartPngOptions, type LegendItem } from './chartPng';
export {
  EXPORT_MIME,
  downloadBlob,
  downloadText,
  exportFilename,
  safeFilename,
  type ExportExtension,
} from './download';
export type { Migrations, MigrationStep } from './versioning';
