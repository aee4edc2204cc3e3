/** Yang et al. 2023 adapter training on frozen embeddings (issue 15, METHODS.md §4b): the public surface. */
export type * from './adapterTypes';
export {
  ADAPTER_FORMAT,
  DEFAULT_ADAPTER_EPOCHS,
  DEFAULT_LOSS_WEIGHTS,
  TRAINING_TEMPLATES,
  adapterOptions,
  attributePromptTexts,
  chooseTrainingTemplates,
} from './adapterOptions';
export { AdapterTrainer, checkAdapterData, trainAdapter } from './adapterTrain';
export { type AdapterPrediction, adapterClassWeights, applyAdapter } from './adapterPredict';
export {
  type AdapterDataOptions,
  adapterClassText,
  adapterDataFromBundle,
  adapterPromptsMissing,
  bundleSplits,
} from './adapterBundle';
export { AdapterError, parseAdapter, serializeAdapter } from './adapterFormat';
