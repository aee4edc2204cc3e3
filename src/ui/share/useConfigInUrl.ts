import { useEffect } from 'react';
import { resultsConfig } from '../../state/config';
import { useDataset } from '../../state/dataset';
import { useResults } from '../../state/results';
import { useSettings } from '../../state/settings';
import { validateExplorerConfig } from '../../share/configValidation';
import { shareUrl } from '../../share/urlState';

/** Quiet period after the last change before the address bar is rewritten (K slider drags fire often). */
const SETTLE_MS = 250;

/**
 * The configuration lives in the address bar: once there is data or a result, every change (model, class
 * strings, templates, K, method, seed …) rewrites `#c=…` in place (replaceState: no history entry, no
 * hashchange). With results on screen it is the setup that produced them (resultsConfig: edits made since
 * wait for a run), so the URL is always a link to what is shown. A `#report=` or `#tour` hash is left
 * alone: it names what the page was opened with.
 */
export function useConfigInUrl(): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sync = () => {
      const hash = location.hash.replace(/^#/, '');
      if (hash !== '' && !hash.startsWith('c=')) return;
      const started = useDataset.getState().images.length > 0 || useResults.getState().source !== null;
      if (!started) return;
      let next: string;
      try {
        // a link that would not open again (e.g. an empty class string mid-edit) is not written
        const { config } = validateExplorerConfig(resultsConfig());
        next = shareUrl(config, location.href);
      } catch {
        return;
      }
      if (next !== location.href) history.replaceState(history.state, '', next);
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(sync, SETTLE_MS);
    };
    const unsubscribe = [
      useDataset.subscribe(schedule),
      useSettings.subscribe(schedule),
      useResults.subscribe((s, prev) => {
        // streaming batches change records, not the configuration
        if (
          s.view !== prev.view ||
          s.source !== prev.source ||
          s.producedBy !== prev.producedBy ||
          s.classes !== prev.classes ||
          s.templates !== prev.templates
        )
          schedule();
      }),
    ];
    return () => {
      clearTimeout(timer);
      unsubscribe.forEach((u) => u());
    };
  }, []);
}
