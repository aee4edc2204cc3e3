/**
 * The ExplorerConfig (what a share link and a report carry) read from, and applied to, the stores.
 * A link opened before any images arrive keeps its class strings and attribute words pending; they are
 * applied by position to the class/attribute folders of the next dataset.
 */
import { create } from 'zustand';
import type { ExplorerConfig } from '../core/config';
import type { LinkReport } from '../share/linkReport';
import { useDataset } from './dataset';
import { summariseDataset } from './datasetSummary';
import { DEFAULT_METHOD_SETTINGS, useMethodSettings } from './methodSettings';
import { useResults } from './results';
import { useSettings } from './settings';
import { datasetSetup, setupChanges, type SetupChange } from './staleness';

export function currentConfig(): ExplorerConfig {
  const dataset = useDataset.getState();
  const settings = useSettings.getState();
  const results = useResults.getState();
  const summary = summariseDataset(dataset.images);
  const pending = usePendingConfig.getState().config;
  const hasData = summary.classFolders.length > 0;
  const classes = hasData
    ? summary.classFolders.map((f) => dataset.classText[f] ?? f)
    : results.classes.length > 0
      ? results.classes
      : (pending?.classes ?? []);
  const attributeFolders = summary.attributeFolders.filter((a) => a !== '');
  const attributes = hasData ? attributeFolders.map((a) => dataset.attributeText[a] ?? a) : (pending?.attributes ?? []);
  const templates = results.source && !hasData ? results.templates : dataset.templates;
  const view = results.view;
  const { phrasings, acceptPairs, lambda } = useMethodSettings.getState();
  return {
    model: settings.model,
    dtype: settings.dtype,
    classes,
    attributes,
    templates: [...templates],
    groupPromptPattern: dataset.groupPromptPattern,
    method: view.method,
    k: view.k,
    aggregate: view.aggregate,
    seed: view.seed,
    // the template zero-shot actually uses: the view's default (39, CLIP's "a photo of a {}.") does not exist
    // in a smaller pool, where the method takes the last template (core methodConfig)
    zeroshotTemplate: Math.min(Math.max(0, view.zeroshotTemplate), Math.max(1, templates.length) - 1),
    phrasings: [...phrasings],
    acceptPairs: acceptPairs.map(([p, q]): [string, string] => [p, q]),
    lambda,
  };
}

/**
 * The configuration that produced the results on screen (issue 12 §6): what a share link, a report and a CSV's
 * provenance carry. The setup fields (model, class strings, attribute words, templates, pattern) are the
 * results' own, whatever was edited since; view and SPEC §7 settings are the current ones, since the views
 * derive them live. Without results: the current configuration.
 */
export function resultsConfig(): ExplorerConfig {
  const config = currentConfig();
  const made = useResults.getState().producedBy;
  if (!made) return config;
  return {
    ...config,
    classes: [...made.classes],
    attributes: [...made.attributes],
    templates: [...made.templates],
    groupPromptPattern: made.groupPromptPattern ?? config.groupPromptPattern,
    model: made.model ?? config.model,
    dtype: made.dtype ?? config.dtype,
  };
}

/** What differs between the results' setup and the panels now ([] without results, or when nothing does). */
export function currentStaleness(): SetupChange[] {
  const made = useResults.getState().producedBy;
  if (!made) return [];
  const settings = useSettings.getState();
  return setupChanges(made, datasetSetup(useDataset.getState(), settings.model, settings.dtype));
}

/** What a link or report brought beside its configuration (issue 13 §5): the banner words itself by it. */
export interface PendingExtras {
  /** a share link or a reopened report */
  kind?: 'link' | 'report';
  /** the results a link carries, shown until the recipient runs */
  results?: LinkReport | null;
  /** why the link's results could not be read (the configuration still applies) */
  resultsError?: string | null;
}

interface PendingConfigState {
  config: ExplorerConfig | null;
  /** how it arrived, for the banner: "shared link" or a report name */
  origin: string;
  kind: 'link' | 'report';
  results: LinkReport | null;
  resultsError: string | null;
  warnings: string[];
  error: string | null;
  set(config: ExplorerConfig | null, origin: string, warnings?: string[], extras?: PendingExtras): void;
  fail(error: string): void;
}

export const usePendingConfig = create<PendingConfigState>()((set) => ({
  config: null,
  origin: '',
  kind: 'link',
  results: null,
  resultsError: null,
  warnings: [],
  error: null,
  set: (config, origin, warnings = [], extras = {}) =>
    set({
      config,
      origin,
      warnings,
      error: null,
      kind: extras.kind ?? 'link',
      results: extras.results ?? null,
      resultsError: extras.resultsError ?? null,
    }),
  fail: (error) => set({ error, config: null, results: null, resultsError: null }),
}));

/** Applies everything that does not depend on the images now; class strings wait for a dataset. */
export function applyConfig(
  config: ExplorerConfig,
  origin: string,
  warnings: string[] = [],
  extras: PendingExtras = {},
): void {
  useSettings.getState().setModel(config.model);
  useSettings.getState().setDtype(config.dtype);
  useDataset.getState().setTemplates([...config.templates]);
  useDataset.getState().setGroupPromptPattern(config.groupPromptPattern);
  useResults.getState().setView({
    method: config.method,
    k: config.k,
    aggregate: config.aggregate,
    seed: config.seed,
    zeroshotTemplate: config.zeroshotTemplate,
  });
  // a link or report from before the §7 settings means their defaults
  useMethodSettings.getState().set({
    phrasings: config.phrasings ?? DEFAULT_METHOD_SETTINGS.phrasings,
    acceptPairs: config.acceptPairs ?? DEFAULT_METHOD_SETTINGS.acceptPairs,
    lambda: config.lambda ?? DEFAULT_METHOD_SETTINGS.lambda,
  });
  usePendingConfig.getState().set(config, origin, warnings, extras);
  applyPendingLabels();
}

/**
 * Class strings and attribute words from a pending config, mapped by position onto the dataset's
 * sorted class and attribute folders (links never carry folder names or images).
 */
export function applyPendingLabels(): string | null {
  const pending = usePendingConfig.getState().config;
  const dataset = useDataset.getState();
  if (!pending || dataset.images.length === 0) return null;
  const summary = summariseDataset(dataset.images);
  const attributeFolders = summary.attributeFolders.filter((a) => a !== '');
  summary.classFolders.forEach((folder, i) => {
    if (pending.classes[i] !== undefined) dataset.setClassText(folder, pending.classes[i]);
  });
  attributeFolders.forEach((folder, i) => {
    if (pending.attributes[i] !== undefined) dataset.setAttributeText(folder, pending.attributes[i]);
  });
  if (summary.classFolders.length !== pending.classes.length) {
    return `The link has ${pending.classes.length} classes but your images have ${summary.classFolders.length}; class strings were applied by position where possible.`;
  }
  return null;
}
