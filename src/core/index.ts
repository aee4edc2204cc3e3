/** The core API: pure TypeScript, no DOM, no model. Everything the UI, worker and CLI need from the engine. */
export * from './types';
export * from './config';
export * from './errors';
export {
  CLIP_TEMPLATES,
  CLASS_PLACEHOLDER,
  type FieldIssue,
  type GroupPromptText,
  absencePattern,
  buildGroupPrompts,
  buildPrompts,
  fillTemplate,
  validateClasses,
  validateGroupPromptPattern,
  validateTemplates,
} from './templates';
export { argmax, normalizeRows, normalizeRowsInPlace, rowDot, rowNorm } from './vectors';
export {
  type SimilarityInput,
  type SimilarityTensor,
  extendSimilarityTensor,
  similarityTensor,
  textGram,
} from './similarityTensor';
export {
  type Analysis,
  type AnalysisOptions,
  type RankingTables,
  buildAnalysis,
  buildRankingTables,
  extendAnalysis,
  templateSeparation,
} from './analysis';
export { type GroupPromptInput, runGroupPrompt, runMethod } from './methods';
export { type MethodSettings, describeConfig, effectiveK, methodConfig } from './methodConfig';
export {
  DEFAULT_ORTHCALI_LAMBDA,
  DEFAULT_PHRASINGS,
  type Knowledge,
  METHOD_HOW_IT_WORKS,
  METHOD_KNOWLEDGE,
  METHOD_NAMES,
  METHOD_SOURCES,
} from './methodKnowledge';
export {
  type AttributeMethodInput,
  type AttributeMethodResult,
  type MethodParameter,
  MissingPromptError,
  type PromptLookup,
  attributePhrases,
  debiasTextRows,
  imageAttributeIndices,
  isAttributeMethodConfig,
  isAttributeMethodResult,
  promptsNeeded,
  pseudoAttributeAccuracy,
  quoteTexts,
  runAttributeMethod,
  validateAttributeWords,
  validatePhrasings,
} from './attributeMethods';
export {
  Z_95,
  accuracyDiscrepancy,
  adjustedAccuracy,
  assignGroups,
  computeGroupStats,
  computeMetrics,
  discrepancyFromGroups,
  groupKey,
  harmonicMean,
  imageGroups,
  metricsFromImageGroups,
  type ImageGroups,
  wilsonInterval,
} from './metrics';
export {
  type GroupSeries,
  type SingleTemplateStats,
  type TemplateSeries,
  meanSeparation,
  selectionFrequency,
  singleTemplateStats,
} from './templateStats';
export {
  BINARY_BUNDLE_FORMAT,
  BUNDLE_FORMAT,
  BundleError,
  type SerializeOptions,
  parseBundle,
  serializeBundle,
} from './bundle';
export {
  type BundleProgressListener,
  type BundleReadProgress,
  type ByteSource,
  BINARY_MEMBERS,
  blobSource,
  bytesSource,
  isBinaryBundleHead,
  isZipHead,
  readBinaryBundle,
  readBundle,
  serializeBinaryBundle,
} from './bundleBinary';
export { Base64Error, base64ToFloats, decodeBase64, encodeBase64, floatsToBase64 } from './base64';
export { imageSeed, mulberry32 } from './random';
export {
  type AnalyzeOptions,
  type AnalyzeResult,
  type BundleAnalysis,
  analyzeBundle,
  bundleAttributes,
  bundlePromptLookup,
  debiasBundleText,
  groupPromptInput,
  missingPrompts,
  prepareBundle,
  runOnBundle,
  templateClassWeights,
} from './analyzeBundle';
export {
  DEFAULT_VOCABULARY,
  type DroppedWord,
  VOCABULARY_TEMPLATE,
  type VocabularyEmbeddings,
  dropClassWords,
  parseVocabulary,
  vocabularyEmbeddings,
  vocabularyPromptTexts,
} from './vocabulary';
export {
  DEFAULT_PRESENCE_TOP_K,
  type InferredAttribute,
  type PresenceTags,
  inferredAttributeByArgmax,
  inferredAttributeFromTags,
  inferredAttributeNames,
  presenceTags,
  unitRows,
  wordPresence,
} from './presenceTags';
export { type AccuracyDelta, accuracyDelta, mutualInformation } from './discoveryStats';
export {
  type AttributeWordRank,
  type B2tWord,
  B2T_TOP,
  type ClassDiscovery,
  type DiscoveryInput,
  type DiscoveryOptions,
  type DiscoveryResult,
  type DiscoveryRow,
  MIN_ABSENT,
  MIN_PRESENT,
  MIN_WRONG_OR_RIGHT,
  attributeWordRanks,
  b2tScores,
  discoverAttributes,
} from './discovery';
export { type BundleVocabulary, bundleLabels, bundleVocabulary, discoverOnBundle } from './discoveryBundle';
export {
  DEFAULT_SPLIT_FRACTIONS,
  type SplitFractions,
  type SplitRequirements,
  checkSplits,
  countSplits,
  parseSplitName,
  splitIndices,
  stratifiedSplit,
} from './splits';
export * from './adapter';
