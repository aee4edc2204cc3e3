import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AdapterOptimizer, AdapterVariant } from '../../core/adapter';
import { useResults } from '../../state/results';
import { useSplits } from '../../state/splits';
import {
  DEFAULT_TEMPLATE_COUNT,
  cancelTraining,
  startTraining,
  trainedForResults,
  useTraining,
  variantProblems,
} from '../../state/training';
import { pct } from '../format';
import { SplitControls, splitSizesText, useRecordSplits } from './SplitControls';
import { TrainingCurve } from './TrainingCurve';
import './train.css';

const VARIANTS: { id: AdapterVariant; name: string; uses: string }[] = [
  {
    id: 'ls',
    name: 'ls: class prompts pushed away from the attribute words',
    uses: 'uses the class labels of the training images and the attribute words',
  },
  {
    id: 'vs',
    name: 'vs: the images also learn to tell the attributes apart',
    uses: 'uses the class labels and the attribute labels of the training images',
  },
];

const OPTIMIZERS: { id: AdapterOptimizer; name: string }[] = [
  { id: 'adam', name: 'Adam, rate 0.001 (quick)' },
  { id: 'sgd', name: 'SGD, momentum 0.9, rate 0.0001 (paper)' },
];

/**
 * "Train an adapter" (issue 15): Yang et al. 2023's fine-tuning as a small adapter on these embeddings, trained
 * in a worker with a live curve, then compared with SAGE and the others on the same test split.
 */
export function TrainPanel() {
  const records = useResults((s) => s.records);
  const classes = useResults((s) => s.classes);
  const text = useResults((s) => s.text);
  const templateCount = useResults((s) => s.templates.length);
  const split = useRecordSplits(records);
  const { settings, phase, epochs, error, cancelling, setSettings } = useTraining(
    useShallow((s) => ({
      settings: s.settings,
      phase: s.phase,
      epochs: s.epochs,
      error: s.error,
      cancelling: s.cancelling,
      setSettings: s.setSettings,
    })),
  );
  const trained = useTraining((s) => trainedForResults(s, text));
  const setScope = useSplits((s) => s.setScope);
  const setView = useResults((s) => s.setView);
  const problems = useMemo(
    () => ({
      ls: variantProblems('ls', records, classes, split.splits),
      vs: variantProblems('vs', records, classes, split.splits),
    }),
    [records, classes, split.splits],
  );
  const busy = phase === 'training' || phase === 'embedding';
  const chosen = problems[settings.variant];
  const last = epochs.at(-1);
  const showTrained = () => {
    setScope('test');
    setView({ method: 'adapter' });
  };
  return (
    <section className="panel train-panel" aria-labelledby="train-heading" id="train" data-testid="train-panel">
      <h2 id="train-heading">Train an adapter (Yang et al. 2023)</h2>
      <p className="muted train-intro">
        SAGE needs no training. To see what training buys, this trains Yang et al.’s multimodal contrastive fine-tuning
        as two small matrices on these embeddings (the CLIP model itself stays as it is), on the training split, keeps
        the epoch with the best worst-group accuracy on the validation split, and scores it on the test split only.
      </p>
      <SplitControls records={records} />
      <fieldset>
        <legend>Variant</legend>
        {VARIANTS.map((variant) => {
          const why = problems[variant.id];
          return (
            <div key={variant.id} className="choice-block">
              <label className="choice">
                <input
                  type="radio"
                  name="train-variant"
                  value={variant.id}
                  checked={settings.variant === variant.id}
                  disabled={busy}
                  onChange={() => setSettings({ variant: variant.id })}
                />
                <span>
                  {variant.name} <span className="muted">({variant.uses})</span>
                </span>
              </label>
              {why.length > 0 && (
                <p className="note variant-problem" data-testid={`variant-problem-${variant.id}`}>
                  {why.join(' ')}
                </p>
              )}
            </div>
          );
        })}
      </fieldset>
      <div className="field-row train-settings">
        <div className="field">
          <label htmlFor="train-epochs">epochs</label>
          <input
            id="train-epochs"
            type="number"
            min={1}
            max={1000}
            step={1}
            value={settings.epochs}
            disabled={busy}
            onChange={(e) =>
              setSettings({ epochs: Math.max(1, Math.min(1000, Math.trunc(Number(e.target.value)) || 1)) })
            }
          />
        </div>
        <div className="field">
          <label htmlFor="train-templates">templates</label>
          <select
            id="train-templates"
            value={settings.templateCount >= templateCount ? 'all' : String(settings.templateCount)}
            disabled={busy}
            onChange={(e) =>
              setSettings({ templateCount: e.target.value === 'all' ? templateCount : Number(e.target.value) })
            }
          >
            {templateCount > DEFAULT_TEMPLATE_COUNT && (
              <option value={String(DEFAULT_TEMPLATE_COUNT)}>{DEFAULT_TEMPLATE_COUNT} (quick, the default)</option>
            )}
            <option value="all">
              all {templateCount}
              {templateCount === 80
                ? ' (as in the paper)'
                : templateCount <= DEFAULT_TEMPLATE_COUNT
                  ? ' (all there are)'
                  : ''}
            </option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="train-optimizer">optimiser</label>
          <select
            id="train-optimizer"
            value={settings.optimizer}
            disabled={busy}
            onChange={(e) => setSettings({ optimizer: e.target.value === 'sgd' ? 'sgd' : 'adam' })}
          >
            {OPTIMIZERS.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="train-seed">training seed</label>
          <input
            id="train-seed"
            type="number"
            step={1}
            value={settings.seed}
            disabled={busy}
            onChange={(e) => setSettings({ seed: Math.trunc(Number(e.target.value)) || 0 })}
          />
        </div>
      </div>
      <div className="train-actions">
        <button
          type="button"
          className="primary"
          onClick={() => void startTraining()}
          disabled={busy || chosen.length > 0}
          data-testid="train-start"
        >
          {trained ? 'Train again' : 'Train'}
        </button>
        {busy && (
          <button type="button" onClick={cancelTraining} disabled={cancelling} data-testid="train-cancel">
            {cancelling ? 'Stopping after this epoch…' : 'Cancel'}
          </button>
        )}
        <span className="muted" role="status" data-testid="train-status">
          {phase === 'embedding'
            ? 'Embedding the attribute prompts training needs…'
            : phase === 'training'
              ? last
                ? `Epoch ${last.epoch} of ${last.epochs} · loss ${last.trainLoss.toFixed(4)} · validation worst-group accuracy ${pct(last.valWGA)} · best epoch so far ${last.bestEpoch}`
                : 'Starting…'
              : ''}
        </span>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="train-error">
          {error}
        </p>
      )}
      {epochs.length > 0 && <TrainingCurve epochs={epochs} total={last?.epochs ?? settings.epochs} />}
      {trained && !busy && (
        <div className="train-result" data-testid="train-result">
          <p>
            {trained.adapter.cancelled ? 'Cancelled after' : 'Trained'} {trained.adapter.epochs} epoch
            {trained.adapter.epochs === 1 ? '' : 's'} (variant {trained.adapter.variant},{' '}
            {trained.adapter.templates.length} templates, {trained.settings.optimizer === 'sgd' ? 'SGD' : 'Adam'},
            training seed {trained.adapter.seed}); kept epoch {trained.adapter.bestEpoch}, the best on the validation
            split. Split: {splitSizesText(trained.adapter.splitSizes)}
            {trained.split.origin === 'made' ? `, made here with seed ${trained.split.seed}` : ', as the images came'}.
          </p>
          <button type="button" onClick={showTrained} data-testid="train-show">
            Compare it with SAGE on the test split
          </button>
        </div>
      )}
    </section>
  );
}
