import { useEffect } from 'react';
import { applyConfig, usePendingConfig } from '../state/config';
import { useSettings } from '../state/settings';
import { useTour } from '../state/tour';
import { parseHashRoute } from '../share/hashRoute';
import { openReportUrl } from './share/openReport';

/**
 * Applies #c=… (configuration), #report=<url>, #tour and the ?model= override (for self-hosting and tests)
 * on load and whenever the hash changes. Parsing (and refusing odd links with a reason) is src/share's.
 */
export function useHashRoute(): void {
  useEffect(() => {
    const model = new URLSearchParams(location.search).get('model');
    if (model) {
      useSettings.getState().setModel(model);
      if (model.startsWith('local:')) useSettings.getState().setDtype('fp32');
    }
    const apply = () => {
      const route = parseHashRoute(location.hash, location.href);
      switch (route.kind) {
        case 'config': {
          const decoded = route.result;
          const results = route.results;
          if (decoded.ok)
            applyConfig(
              decoded.config,
              decoded.migratedFrom ? `shared link (upgraded from v${decoded.migratedFrom})` : 'shared link',
              results?.ok ? [...decoded.warnings, ...results.warnings] : decoded.warnings,
              {
                kind: 'link',
                results: results?.ok ? results.report : null,
                resultsError: results?.ok === false ? results.error : null,
              },
            );
          else usePendingConfig.getState().fail(`This link could not be opened: ${decoded.error}`);
          break;
        }
        case 'tour':
          if (!useTour.getState().open) useTour.getState().start();
          break;
        case 'report':
          void openReportUrl(route.url).then((outcome) => {
            if (!outcome.ok) usePendingConfig.getState().fail(`This report could not be opened: ${outcome.error}`);
          });
          break;
        case 'invalid':
          // in-page anchors (the skip link's #main, section ids) are navigation, not a broken link
          if (!isInPageAnchor(location.hash))
            usePendingConfig.getState().fail(`This link could not be opened: ${route.error}`);
          break;
        case 'none':
          break;
      }
    };
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
  }, []);
}

function isInPageAnchor(hash: string): boolean {
  const id = hash.replace(/^#/, '');
  return /^[A-Za-z][\w-]*$/.test(id) && document.getElementById(id) !== null;
}
