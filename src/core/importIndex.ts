/** Importing embeddings made elsewhere (issue 17): .npy/.npz arrays + a CSV/Parquet metadata table → a bundle. */
export { ImportError } from './importError';
export { type EmbeddingMatrix, npzArrayNames, parseNpy, parseNpz, readEmbeddingMatrix } from './importNpy';
export { type MetadataTable, parseCsvTable, parseParquetTable, readMetadataTable } from './importTable';
export {
  CLI_LABELS,
  type ColumnMapping,
  type MappedRecords,
  type MappingLabels,
  compareLabelValues,
  mapRecords,
  parseNameList,
} from './importMapping';
export {
  type ImportParts,
  type TextSide,
  buildImportedBundle,
  bundleTextList,
  textSideFromEmbeddings,
  textSideFromMatrix,
} from './importBundle';
