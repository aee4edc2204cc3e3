import { useEffect } from 'react';
import { applyConfig, usePendingConfig } from '../state/config';
import { useSettings } from '../state/settings';
import { useTour } from '../state/tour';
import { decodeConfigHash } from '../share/urlState';
import { openReportUrl } from './share/openReport';

export type Route = { kind: 'config'; hash: string } | { kind: 'report'; url: string } | { kind: 'tour' } | { kind: 'none' };

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  if (body.startsWith('c=')) return { kind: 'config', hash: body };
  if (body.startsWith('report=')) return { kind: 'report', url: decodeURIComponent(body.slice('report='.length)) };
  if (body === 'tour') return { kind: 'tour' };
  return { kind: 'none' };
}

/**
 * Applies #c=… (configuration), #report=<url> and the ?model= override (for self-hosting and tests)
 * on load and whenever the hash changes.
 */
export function useHashRoute(): void {
  useEffect(() => {
    const model = new URLSearchParams(location.search).get('model');
    if (model) {
      useSettings.getState().setModel(model);
      if (model.startsWith('local:')) useSettings.getState().setDtype('fp32');
    }
    const apply = () => {
      const route = parseRoute(location.hash);
      if (route.kind === 'config') {
        const decoded = decodeConfigHash(route.hash);
        if (decoded.ok) applyConfig(decoded.config, decoded.migratedFrom ? `shared link (upgraded from v${decoded.migratedFrom})` : 'shared link', decoded.warnings);
        else usePendingConfig.getState().fail(`This link could not be opened: ${decoded.error}`);
      } else if (route.kind === 'tour') {
        if (!useTour.getState().open) useTour.getState().start();
      } else if (route.kind === 'report') {
        void openReportUrl(route.url).then((outcome) => {
          if (!outcome.ok) usePendingConfig.getState().fail(`This report could not be opened: ${outcome.error}`);
        });
      }
    };
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
  }, []);
}
