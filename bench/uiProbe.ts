/**
 * The in-page half of `npm run bench:ui`: installed into the app page as plain JavaScript (functions compiled by
 * tsx can carry helpers that do not exist in the page). `window.__kProbe.arm(targetK)` starts one measurement;
 * the next keydown starts the clock (its event.timeStamp: the input's time, queueing included); `result` resolves
 * once the results section has been quiet for QUIET_MS.
 *
 * - table: the comparison table's caption shows "K = target" (and the headline too, when it shows a K); the
 *   time is that of the first paint after that mutation (rAF, then a MessageChannel task: runs after the frame).
 * - charts: the charts show the target K — ResultsDetails' `data-k` (when present), else the "Templates SAGE
 *   picked most (K = …)" heading — and the section has stopped changing; the time is the paint after the last
 *   mutation (recharts renders in several passes, so "the data changed" is not "the chart is drawn").
 */

/** The measurement of one K change (or one burst of presses ending on `target`), in ms from the first keydown. */
export interface ProbeResult {
  target: number;
  /** table (+ headline) painted with the target K */
  tableMs: number;
  /** every chart painted and the results section quiet */
  chartsMs: number;
  keydowns: number;
  /** whether the headline (data-testid="results-headline") was there and showed a K */
  headline: 'with K' | 'without K' | 'absent';
  error?: string;
}

export const QUIET_MS = 200;
const TIMEOUT_MS = 180_000;

export const PROBE_SCRIPT = `(() => {
  const QUIET_MS = ${QUIET_MS};
  const TIMEOUT_MS = ${TIMEOUT_MS};
  const afterPaint = (callback) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now());
      channel.port2.postMessage(0);
    });
  const text = (selector) => document.querySelector(selector)?.textContent ?? null;
  const probe = {
    result: null,
    arm(target) {
      const shows = (value) => new RegExp('K = ' + target + '(?![0-9])').test(value ?? '');
      const headlineBefore = text('[data-testid=results-headline]');
      const headline = headlineBefore === null ? 'absent' : /K = [0-9]/.test(headlineBefore) ? 'with K' : 'without K';
      const tableReady = () =>
        shows(text('[data-testid=comparison-table] caption')) &&
        (headline !== 'with K' || shows(text('[data-testid=results-headline]')));
      const chartsReady = () => {
        const details = document.querySelector('[data-testid=results-details]');
        if (details) return details.getAttribute('data-k') === String(target);
        const picks = text('[data-testid=sage-picks] h3');
        return picks === null || shows(picks);
      };
      const state = { start: null, keydowns: 0, table: null, tablePaint: null, charts: null, lastMutation: 0, seq: 0, settledPaint: null };
      const onKey = (event) => {
        if (state.start === null) state.start = event.timeStamp;
        state.keydowns++;
      };
      document.addEventListener('keydown', onKey, true);
      const onMutation = () => {
        const now = performance.now();
        state.lastMutation = now;
        const mine = ++state.seq;
        state.settledPaint = null;
        afterPaint((time) => {
          if (mine === state.seq) state.settledPaint = time;
        });
        if (state.start === null) return;
        if (state.table === null && tableReady()) {
          state.table = now;
          afterPaint((time) => {
            state.tablePaint = time;
          });
        }
        if (state.charts === null && chartsReady()) state.charts = now;
      };
      const section = document.querySelector('#results') ?? document.body;
      const observer = new MutationObserver(onMutation);
      observer.observe(section, { subtree: true, childList: true, characterData: true, attributes: true });
      this.result = new Promise((resolve) => {
        const finish = (error) => {
          observer.disconnect();
          document.removeEventListener('keydown', onKey, true);
          const start = state.start ?? 0;
          resolve({
            target,
            tableMs: (state.tablePaint ?? NaN) - start,
            chartsMs: (state.settledPaint ?? NaN) - start,
            keydowns: state.keydowns,
            headline,
            ...(error ? { error } : {}),
          });
        };
        const armed = performance.now();
        const poll = () => {
          const now = performance.now();
          if (
            state.tablePaint !== null &&
            state.charts !== null &&
            state.settledPaint !== null &&
            now - state.lastMutation > QUIET_MS
          )
            return finish();
          if (now - armed > TIMEOUT_MS)
            return finish('K = ' + target + ' not shown after ' + TIMEOUT_MS + ' ms (table: ' + (state.table !== null) + ', charts: ' + (state.charts !== null) + ')');
          setTimeout(poll, 25);
        };
        poll();
      });
    },
    /** resolves once the results section has not changed for quietMs (after loading a bundle) */
    quiet(quietMs) {
      return new Promise((resolve) => {
        let last = performance.now();
        const observer = new MutationObserver(() => {
          last = performance.now();
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        const poll = () => {
          if (performance.now() - last > quietMs) {
            observer.disconnect();
            resolve(true);
          } else setTimeout(poll, 50);
        };
        poll();
      });
    },
  };
  window.__kProbe = probe;
})();`;
