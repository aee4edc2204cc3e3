import { usePendingConfig } from '../../state/config';
import { groupLabel } from '../format';

/** Shows what a shared link or report set up, or why it could not be opened. */
export function ConfigBanner() {
  const { config, origin, warnings, error } = usePendingConfig();
  if (error) {
    return (
      <p className="panel error" role="alert" data-testid="link-error">
        {error}
      </p>
    );
  }
  if (!config) return null;
  return (
    <section className="panel config-banner" aria-label="configuration from a link" data-testid="config-banner">
      <p>
        <strong>Set up from a {origin}:</strong> model <span data-testid="config-model">{config.model}</span> (
        {config.dtype}), classes{' '}
        <span data-testid="config-classes">{config.classes.map((c) => `“${c}”`).join(', ')}</span>
        {config.attributes.length > 0 && (
          <> , attributes {config.attributes.map((a) => groupLabel(a, '')).join(', ')}</>
        )}
        , {config.templates.length} templates, method {config.method}, K ={' '}
        <span data-testid="config-k">{config.k}</span>, seed {config.seed}.
      </p>
      <p className="muted">
        Links carry the configuration only, never images: drop your images (or open the example) to run it.
      </p>
      {warnings.map((w, i) => (
        <p className="note" key={i}>
          {w}
        </p>
      ))}
    </section>
  );
}
