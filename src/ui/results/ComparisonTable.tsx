import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Knowledge, MethodId } from '../../core';
import type { MethodRow, UnavailableMethod } from '../../state/derive/views';
import { tipPlace, type TipPlace } from '../floatingTip';
import { groupLabel, interval, pct } from '../format';
import { InfoTip } from '../InfoTip';
import './methods.css';

const BADGE_TEXT: Record<Knowledge, string> = {
  none: 'no extra knowledge',
  'attribute words': 'uses attribute words',
  'attribute labels': 'uses attribute labels of the evaluated images',
};

const BADGE_CLASS: Record<Knowledge, string> = {
  none: 'knowledge none',
  'attribute words': 'knowledge words',
  'attribute labels': 'knowledge labels',
};

/**
 * What each row knows beyond the class names; TIE's use of the scored images' labels is flagged, not hidden. A
 * trained row (issue 15) says it trains and on what: class labels plus the attribute words or (training) labels.
 */
export function KnowledgeBadge({ knowledge, trained = false }: { knowledge: Knowledge; trained?: boolean }) {
  return (
    <span
      className={`badge ${BADGE_CLASS[knowledge]}${trained ? ' trained' : ''}`}
      data-testid="knowledge-badge"
      data-knowledge={knowledge}
    >
      {trained ? (
        `trained; uses class labels + ${knowledge}`
      ) : (
        <>
          {knowledge === 'attribute labels' && <span aria-hidden="true">⚠ </span>}
          {BADGE_TEXT[knowledge]}
        </>
      )}
    </span>
  );
}

/** Below the cell, or above it when the viewport has little room below. */
const placeTip = (box: DOMRect): TipPlace => tipPlace(box, { width: 380, roomBelow: 140, gap: 0 });

/** The one open how-it-works tip of the table: the latest hovered or focused method's. */
interface OpenTip {
  method: MethodId;
  place: TipPlace;
}

/**
 * The method's name cell: the radio that selects it and a one-line "how it works" shown while the cell is
 * hovered or anything in it has keyboard focus. The line is the radio's accessible description
 * (aria-describedby), so screen readers read it too. It is placed with fixed positioning so the table's
 * scrolling wrapper cannot clip it, and it follows the cell when the page scrolls; Escape hides it (WCAG 1.4.13).
 */
function MethodCell({
  method,
  label,
  howItWorks,
  children,
  radio,
  tip,
  setTip,
}: {
  method: MethodId;
  label: string;
  howItWorks: string;
  children: ReactNode;
  radio: { checked: boolean; disabled: boolean; onChange: () => void };
  tip: OpenTip | null;
  setTip: (update: (tip: OpenTip | null) => OpenTip | null) => void;
}) {
  const cell = useRef<HTMLTableCellElement>(null);
  const tipId = `how-${method}`;
  const place = tip?.method === method ? tip.place : null;
  const show = () => {
    const box = cell.current?.getBoundingClientRect();
    if (box) setTip(() => ({ method, place: placeTip(box) }));
  };
  const hide = () => setTip((open) => (open?.method === method ? null : open));
  const open = place !== null;
  useEffect(() => {
    if (!open) return;
    // focus scrolls the row into view and pages scroll: the tip follows its cell
    const follow = () => {
      const box = cell.current?.getBoundingClientRect();
      if (box) setTip((current) => (current?.method === method ? { method, place: placeTip(box) } : current));
    };
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    return () => {
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
    };
  }, [open, method, setTip]);
  return (
    <th
      scope="row"
      ref={cell}
      className="method-cell"
      onMouseEnter={show}
      onMouseLeave={hide}
      onFocus={show}
      onBlur={hide}
    >
      <label className="method-pick">
        <input
          type="radio"
          name="method"
          value={method}
          checked={radio.checked}
          disabled={radio.disabled}
          onChange={radio.onChange}
          aria-describedby={tipId}
          onKeyDown={(e) => {
            if (e.key === 'Escape') hide();
          }}
        />
        <span>{label}</span>
      </label>
      {children}
      <span
        role="tooltip"
        id={tipId}
        className={place ? 'floating-tip how-tip open' : 'floating-tip how-tip'}
        data-testid="how-it-works"
        style={place ?? undefined}
      >
        {howItWorks}
      </span>
    </th>
  );
}

/**
 * Rows = methods, columns = accuracy / WGA (with its group) / gap / HM, each with n and a 95% interval. On a
 * phone (methods.css, ≤ 600 px) each row becomes a card: the method across, its four figures two by two, each
 * named by its cell's data-label, and the header a legend of the terms with their ⓘ; nothing scrolls sideways.
 */
export function ComparisonTable({
  rows,
  unavailable,
  notes,
  pending,
  selected,
  onSelect,
  k,
  footer,
}: {
  /** a results view's rows, or a shared link's (LinkResults): the table reads only these fields */
  rows: readonly Pick<MethodRow, 'method' | 'label' | 'knowledge' | 'howItWorks' | 'metrics'>[];
  unavailable: UnavailableMethod[];
  /** per method: one line of what it used and found (§7 parameters) */
  notes: Partial<Record<MethodId, string>>;
  /** texts being embedded now (an unavailable row says so instead of its reason) */
  pending: readonly string[];
  selected: MethodId;
  onSelect: (m: MethodId) => void;
  k: number;
  footer?: ReactNode;
}) {
  const embedding = new Set(pending);
  const [tip, setTip] = useState<OpenTip | null>(null);
  return (
    <div className="table-wrap comparison-wrap">
      <table className="comparison" data-testid="comparison-table">
        <caption>
          Methods compared (K = {k}). Intervals are 95% Wilson intervals; n is the number of images behind each figure.
          Badges say what a method knows beyond the class names; hover or focus a method for how it works.
        </caption>
        <thead>
          <tr>
            <th scope="col" data-column="method">
              method
              <InfoTip term="method" />
            </th>
            <th scope="col" data-column="accuracy">
              accuracy
              <InfoTip term="accuracy" />
              <span className="sub">
                n<InfoTip term="n" /> · 95% interval
                <InfoTip term="interval" />
              </span>
            </th>
            <th scope="col" data-column="wga">
              worst-group accuracy
              <InfoTip term="wga" />
              <span className="sub">
                its worst group
                <InfoTip term="worstGroup" /> · n · interval
              </span>
            </th>
            <th scope="col" data-column="gap">
              gap
              <InfoTip term="gap" />
            </th>
            <th scope="col" data-column="hm">
              HM
              <InfoTip term="hm" />
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const m = row.metrics;
            const isSelected = row.method === selected;
            const note = notes[row.method];
            return (
              <tr
                key={row.method}
                className={isSelected ? 'selected' : undefined}
                data-method={row.method}
                data-knowledge={row.knowledge}
              >
                <MethodCell
                  method={row.method}
                  label={row.label}
                  howItWorks={row.howItWorks}
                  radio={{ checked: isSelected, disabled: false, onChange: () => onSelect(row.method) }}
                  tip={tip}
                  setTip={setTip}
                >
                  {row.method === 'sage' || row.method === 'random' ? <span className="muted"> K = {k}</span> : null}
                  <KnowledgeBadge knowledge={row.knowledge} trained={row.method === 'adapter'} />
                  {note && (
                    <span className="sub method-note" data-testid="method-note">
                      {note}
                    </span>
                  )}
                </MethodCell>
                <td data-metric="accuracy" data-label="accuracy">
                  <strong>{pct(m.accuracy)}</strong>
                  <span className="sub">
                    n = {m.n} · {interval(m.accuracyCi95.low, m.accuracyCi95.high)}
                  </span>
                </td>
                <td data-metric="wga" data-label="worst-group accuracy">
                  <strong>{pct(m.worstGroupAccuracy)}</strong>
                  <span className="sub">
                    {groupLabel(m.worstGroup.class, m.worstGroup.attribute)} · n = {m.worstGroup.n} ·{' '}
                    {interval(m.worstGroup.ci95.low, m.worstGroup.ci95.high)}
                  </span>
                </td>
                <td data-metric="gap" data-label="gap">
                  {pct(m.gap)}
                </td>
                <td data-metric="hm" data-label="HM (harmonic mean)">
                  {pct(m.harmonicMean)}
                </td>
              </tr>
            );
          })}
          {unavailable.map((item) => {
            const busy = item.missing.length > 0 && item.missing.every((t) => embedding.has(t));
            return (
              <tr
                key={item.method}
                className="unavailable"
                data-method={item.method}
                data-knowledge={item.knowledge}
                data-unavailable="true"
              >
                <MethodCell
                  method={item.method}
                  label={item.label}
                  howItWorks={item.howItWorks}
                  radio={{ checked: false, disabled: true, onChange: () => undefined }}
                  tip={tip}
                  setTip={setTip}
                >
                  <KnowledgeBadge knowledge={item.knowledge} trained={item.method === 'adapter'} />
                </MethodCell>
                <td colSpan={4} data-testid="method-unavailable">
                  {busy
                    ? `Embedding ${item.missing.length === 1 ? 'the text' : `${item.missing.length} texts`} it needs…`
                    : item.reason}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
