import { createContext, useContext, useEffect, useLayoutEffect } from 'react';
import { THEMES as THEME_IDS, useSettings, type Theme } from '../state/settings';
import { chartStyleFor, type ChartStyle } from './results/chartStyle';

const THEMES: { id: Theme; label: string }[] = [
  { id: 'auto', label: 'System' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
  { id: 'projector', label: 'Projector (high contrast)' },
];

/** `?theme=projector` (or light, dark, auto) in the link; anything else is no theme. */
export function themeInLink(search: string): Theme | null {
  const value = new URLSearchParams(search).get('theme');
  return THEME_IDS.find((t) => t === value) ?? null;
}

/**
 * Applies the theme to <html data-theme>; "auto" follows prefers-color-scheme via CSS. A theme named in the
 * link (`?theme=projector`) is chosen as if picked here, so it is kept for the next visit too.
 */
export function ThemeToggle() {
  const theme = useSettings((s) => s.theme);
  const setTheme = useSettings((s) => s.setTheme);
  // before the first paint: a projected page should not flash the light theme
  useLayoutEffect(() => {
    const linked = themeInLink(location.search);
    if (linked) useSettings.getState().setTheme(linked);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <label className="theme-toggle">
      Theme{' '}
      <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)} aria-label="colour theme">
        {THEMES.map((t) => (
          <option key={t.id} value={t.id}>
            {t.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** True inside the presentation mode: its charts draw larger. */
export const PresentingContext = createContext(false);

/** The sizes charts draw their text, lines and markers at in the current theme (and presentation mode). */
export function useChartStyle(): ChartStyle {
  const theme = useSettings((s) => s.theme);
  const presenting = useContext(PresentingContext);
  return chartStyleFor(theme, presenting);
}
