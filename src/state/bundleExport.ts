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
  const { runtime, inferred } = useResults.getState();
  const provenance = makeProvenance({ ...currentConfig(), inferred }, runtime);
  const meta = {
    ...bundle.meta,
    app: APP_NAME,
    appVersion: provenance.appVersion,
    exportedModel: provenance.model,
    dtype: provenance.dtype,
    backend: provenance.backend,
    date: provenance.date,
    // the images' attributes are CLIP's guess (discovery hand-off): say how, beside them
    ...(provenance.attributes ? { attributeSource: provenance.attributes } : {}),
  };
  return serializeBundle({ ...bundle, meta });
}
