/** The current results as a downloadable sage-embeddings/1 file, with the export's provenance in its meta. */
import { serializeBundle } from '../core';
import { APP_NAME } from '../share/appVersion';
import { makeProvenance } from '../share/provenance';
import { currentConfig } from './config';
import { currentBundle, useResults } from './results';

/** The bundle JSON, or null when there are no results. */
export function exportedBundleJson(): string | null {
  const bundle = currentBundle();
  if (!bundle) return null;
  // every export records what produced it; the bundle's free-form meta carries the same provenance
  const provenance = makeProvenance(currentConfig(), useResults.getState().runtime);
  const meta = {
    ...bundle.meta,
    app: APP_NAME,
    appVersion: provenance.appVersion,
    exportedModel: provenance.model,
    dtype: provenance.dtype,
    backend: provenance.backend,
    date: provenance.date,
  };
  return serializeBundle({ ...bundle, meta });
}
