import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  emptyGallerySentence,
  imageExplanation,
  methodName,
  type ExplanationPart,
  type MethodExplanation,
} from '../../state/derive/imageExplanation';
import { imageDetail, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { groupLabel, num, pct } from '../format';
import { InfoTip } from '../InfoTip';
import { Thumbnail } from '../Thumbnail';
import { TileGrid } from '../TileGrid';
import './gallery.css';

const THUMB = 64;
const TILE_WIDTH = THUMB + 24;
const ROW_HEIGHT = THUMB + 34;
const GAP = 6;

type Correctness = 'all' | 'correct' | 'wrong';

/** One explanation sentence: templates quoted, classes bold, numbers marked. */
function Sentence({ parts }: { parts: readonly ExplanationPart[] }) {
  return (
    <>
      {parts.map((part, j) => {
        switch (part.kind) {
          case 'template':
            // real quote marks (not <q>'s generated ones), so copied text and screen readers keep them
            return (
              <span key={j} className="template">
                ‘{part.text}’
              </span>
            );
          case 'class':
            return <strong key={j}>{part.text}</strong>;
          case 'attribute':
            return <em key={j}>{part.text}</em>;
          case 'score':
            return (
              <span key={j} className="score">
                {part.text}
              </span>
            );
          default:
            return part.text;
        }
      })}
    </>
  );
}

function ExplanationCard({ explanation }: { explanation: MethodExplanation }) {
  return (
    <div className={explanation.correct ? 'explain-card right' : 'explain-card wrong'}>
      <p className="explain-sentence" data-testid={`explain-${explanation.method}`}>
        <Sentence parts={explanation.parts} />
      </p>
      <p className="score-meaning">Numbers: {explanation.scoreMeaning}; the highest wins.</p>
    </div>
  );
}

/** Image drill-down: filter by group and by correct/incorrect; one image's scores under each method. */
export function Gallery({ input, rows, selected }: { input: ResultsInput; rows: MethodRow[]; selected: MethodRow }) {
  const thumbnails = useResults((s) => s.thumbnails);
  const selectedImage = useResults((s) => s.selectedImage);
  const selectImage = useResults((s) => s.selectImage);
  const [group, setGroup] = useState('all');
  const [correctness, setCorrectness] = useState<Correctness>('all');
  const gridWrap = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  /** set when the panel's own controls moved the selection, so focus stays in the panel */
  const keepFocus = useRef(false);
  const ids = useId();
  const shortNames = useMemo(() => new Map(rows.map((row) => [row.method, methodName(row)])), [rows]);
  const classIndex = useMemo(() => new Map(input.classes.map((c, i) => [c, i])), [input.classes]);
  const groups = selected.metrics.groups;
  const matches = useMemo(() => {
    const out: number[] = [];
    input.records.forEach((r, i) => {
      if (group !== 'all' && `${r.class}/${r.attribute}` !== group) return;
      const right = selected.result.predicted[i] === classIndex.get(r.class);
      if (correctness === 'correct' && !right) return;
      if (correctness === 'wrong' && right) return;
      out.push(i);
    });
    return out;
  }, [input.records, group, correctness, selected, classIndex]);
  const selectedIndex = selectedImage ? input.records.findIndex((r) => r.id === selectedImage) : -1;
  const detail = useMemo(
    () => (selectedIndex >= 0 ? imageDetail(input, rows, selectedIndex) : null),
    [input, rows, selectedIndex],
  );
  const explanation = useMemo(
    () => (selectedIndex >= 0 ? imageExplanation(input, rows, selectedIndex) : null),
    [input, rows, selectedIndex],
  );
  // the selected image's place in the filtered order; −1 when the filter hides it (Next then starts at the first)
  const position = selectedIndex >= 0 ? matches.indexOf(selectedIndex) : -1;
  const previous = position > 0 ? matches[position - 1] : position < 0 ? matches.at(-1) : undefined;
  const next = position >= 0 ? matches[position + 1] : matches[0];
  const selectedGroup = groups.find((g) => `${g.class}/${g.attribute}` === group) ?? null;

  // keep the selected tile inside the grid's scroll area (the grid renders only the rows near the view)
  useEffect(() => {
    const grid = gridWrap.current?.querySelector<HTMLElement>('[role=grid]');
    if (!grid || position < 0) return;
    const columns = Math.max(1, Number(grid.getAttribute('aria-colcount')) || 1);
    const top = Math.floor(position / columns) * (ROW_HEIGHT + GAP);
    const bottom = top + ROW_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (bottom > grid.scrollTop + grid.clientHeight) grid.scrollTop = bottom - grid.clientHeight;
  }, [position]);

  // a Previous/Next button that turns disabled at the end of the list drops focus: hand it to the panel
  useEffect(() => {
    if (!keepFocus.current) return;
    keepFocus.current = false;
    const active = document.activeElement;
    if (!panel.current?.contains(active) || (active instanceof HTMLButtonElement && active.disabled)) {
      panel.current?.focus();
    }
  }, [selectedImage]);

  const go = (index: number | undefined) => {
    if (index === undefined) return;
    keepFocus.current = true;
    selectImage(input.records[index].id);
  };
  const close = () => {
    selectImage(null);
    // back to the grid, on the tile that was open when it is still drawn
    const grid = gridWrap.current?.querySelector<HTMLElement>('[role=grid]');
    const tile = grid?.querySelector<HTMLElement>(`[data-tile="${position}"]`);
    (tile ?? grid)?.focus();
  };
  const onPanelKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      go(event.key === 'ArrowLeft' ? previous : next);
    } else if (event.key === 'Escape' && !(event.target instanceof Element && event.target.closest('.info-tip'))) {
      event.preventDefault();
      close();
    }
  };
  // the panel's own keys (its buttons and the panel itself take focus); a native listener, so the handler
  // always sees the current filter order
  const panelKey = useRef(onPanelKey);
  useEffect(() => {
    panelKey.current = onPanelKey;
  });
  const panelOpen = detail !== null;
  useEffect(() => {
    const node = panel.current;
    if (!node) return;
    const onKey = (event: KeyboardEvent) => panelKey.current(event);
    node.addEventListener('keydown', onKey);
    return () => node.removeEventListener('keydown', onKey);
  }, [panelOpen]);

  const thumbnail = detail ? thumbnails.get(detail.record.id) : undefined;
  return (
    <section className="chart-frame" id="gallery" aria-labelledby="gallery-title">
      <h3 id="gallery-title">Images ({selected.label})</h3>
      <div className="controls">
        <div className="field">
          <label htmlFor="gallery-group">group</label>
          <select id="gallery-group" value={group} onChange={(e) => setGroup(e.target.value)}>
            <option value="all">all groups</option>
            {groups.map((g) => (
              <option key={`${g.class}/${g.attribute}`} value={`${g.class}/${g.attribute}`}>
                {groupLabel(g.class, g.attribute)} ({g.n})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="gallery-correct">prediction</label>
          <select
            id="gallery-correct"
            value={correctness}
            onChange={(e) => setCorrectness(e.target.value as Correctness)}
          >
            <option value="all">correct and wrong</option>
            <option value="correct">correct only</option>
            <option value="wrong">wrong only</option>
          </select>
        </div>
        <span className="muted">{matches.length} images; wrong ones have a dashed border and ✗</span>
      </div>
      {matches.length === 0 ? (
        <p className="gallery-empty" data-testid="gallery-empty" role="status">
          {emptyGallerySentence(selectedGroup, correctness, methodName(selected))}
        </p>
      ) : (
        <div ref={gridWrap}>
          <TileGrid
            count={matches.length}
            tile={{ width: TILE_WIDTH, rowHeight: ROW_HEIGHT, gap: GAP, initialColumns: 8 }}
            className="gallery-grid"
            label={`${matches.length} images; move between them with the arrow keys`}
            testId="gallery"
            keyOf={(p) => matches[p]}
            renderTile={(p, tile) => {
              const i = matches[p];
              const r = input.records[i];
              const right = selected.result.predicted[i] === classIndex.get(r.class);
              return (
                <button
                  type="button"
                  {...tile}
                  className={right ? 'right' : 'wrong'}
                  aria-pressed={r.id === selectedImage}
                  onClick={() => selectImage(r.id)}
                  title={r.id}
                  data-correct={right}
                >
                  <Thumbnail source={thumbnails.get(r.id)} alt={r.id} size={THUMB} fallback={r.id} />
                  <span className="tile-name">
                    {right ? '✓' : '✗'} {input.classes[selected.result.predicted[i]]}
                  </span>
                </button>
              );
            }}
          />
        </div>
      )}
      {detail && explanation && (
        <div
          className="image-detail"
          data-testid="image-detail"
          role="region"
          aria-label={`Details of image ${detail.record.id}`}
          tabIndex={-1}
          ref={panel}
        >
          <div className="detail-nav">
            <span className="detail-position">
              {position >= 0
                ? `Image ${position + 1} of ${matches.length} in this filter`
                : 'This image is not in the current filter'}
            </span>
            <button type="button" onClick={() => go(previous)} disabled={previous === undefined}>
              <span aria-hidden="true">← </span>Previous image
            </button>
            <button type="button" onClick={() => go(next)} disabled={next === undefined}>
              Next image<span aria-hidden="true"> →</span>
            </button>
            <button type="button" onClick={close}>
              Close<span aria-hidden="true"> ✕</span>
            </button>
            <span className="muted">In this panel the ← and → keys move between images and Esc closes it.</span>
          </div>
          <div className="detail-head">
            {thumbnail === undefined ? (
              <p className="no-thumbnail" data-testid="no-thumbnail">
                No thumbnail is stored for this image: an embeddings bundle (or a report saved without thumbnails) holds
                no pictures.
              </p>
            ) : (
              <Thumbnail source={thumbnail} alt={detail.record.id} size={160} />
            )}
            <p>
              <strong className="detail-id" data-testid="detail-id">
                {detail.record.id}
              </strong>
              <br />
              true class <strong>{detail.record.class}</strong>, attribute{' '}
              <strong>{detail.record.attribute || '(none)'}</strong>
            </p>
          </div>
          {(explanation.zeroshot ?? explanation.sage) && (
            <div className="explain-pair">
              {explanation.zeroshot && <ExplanationCard explanation={explanation.zeroshot} />}
              {explanation.sage && <ExplanationCard explanation={explanation.sage} />}
            </div>
          )}
          {explanation.others.length > 0 && (
            <ul className="explain-others" aria-label="The other methods on this image">
              {explanation.others.map((e) => (
                <li key={e.method} className="explain-sentence" data-testid={`explain-${e.method}`}>
                  <span aria-hidden="true">{e.correct ? '✓ ' : '✗ '}</span>
                  <Sentence parts={e.parts} />
                </li>
              ))}
            </ul>
          )}
          <div className="two-col">
            <div>
              {/* titles outside the scrolling wrap, so a table wider than a phone does not clip them */}
              <p className="table-title" id={`${ids}-probabilities`}>
                Class probabilities (softmax of 100 × each method’s score) <InfoTip term="probability" />
              </p>
              <div className="table-wrap">
                <table aria-labelledby={`${ids}-probabilities`}>
                  <thead>
                    <tr>
                      <th scope="col">method</th>
                      {input.classes.map((c) => (
                        <th scope="col" key={c}>
                          {c}
                        </th>
                      ))}
                      <th scope="col">prediction</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.perMethod.map((m) => (
                      <tr key={m.method}>
                        <th scope="row" title={m.label}>
                          {shortNames.get(m.method) ?? m.label}
                        </th>
                        {m.probabilities.map((p, c) => (
                          <td key={c}>{pct(p)}</td>
                        ))}
                        <td>
                          {m.correct ? '✓' : '✗'} {m.predicted}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
            <div>
              <p className="table-title" id={`${ids}-templates`}>
                This image’s templates with the largest class separation, and their cosines per class (SAGE picked the
                highlighted {detail.sagePicked.length === 1 ? 'one' : 'ones'})
              </p>
              <div className="table-wrap">
                <table aria-labelledby={`${ids}-templates`}>
                  <thead>
                    <tr>
                      <th scope="col" rowSpan={2}>
                        template
                      </th>
                      <th scope="col" rowSpan={2}>
                        separation <InfoTip term="separation" />
                      </th>
                      <th scope="colgroup" colSpan={input.classes.length}>
                        cosine with the class prompt
                      </th>
                    </tr>
                    <tr>
                      {input.classes.map((c) => (
                        <th scope="col" key={c}>
                          {c}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {detail.topTemplates.map((t) => (
                      <tr key={t.template} className={detail.sagePicked.includes(t.template) ? 'selected' : undefined}>
                        <td>
                          #{t.template} {t.text}
                          {detail.sagePicked.includes(t.template) ? ' (picked by SAGE)' : ''}
                        </td>
                        <td>{num(t.separation, 4)}</td>
                        {t.similarities.map((s, c) => (
                          <td key={c}>{num(s, 4)}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
