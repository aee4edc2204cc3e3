import { useResults } from '../../state/results';

/** K = how many templates SAGE (and random) keep per image; 1 … all. No re-embedding: only selection reruns. */
export function KSlider() {
  const k = useResults((s) => s.view.k);
  const m = useResults((s) => s.templates.length);
  const setView = useResults((s) => s.setView);
  if (m === 0) return null;
  return (
    <div className="k-slider" id="k-slider">
      <label htmlFor="k-input">
        K ={' '}
        <output htmlFor="k-input" data-testid="k-value">
          {k}
        </output>{' '}
        of {m} templates per image
      </label>
      <input
        id="k-input"
        type="range"
        min={1}
        max={m}
        step={1}
        value={k}
        onChange={(e) => setView({ k: Number(e.target.value) })}
        data-testid="k-slider"
      />
      <span className="muted">
        {k === m
          ? 'K = all templates: SAGE equals the ensemble.'
          : k === 1
            ? 'K = 1: each image uses its single most-separating template.'
            : ''}
      </span>
    </div>
  );
}
