import { useMemo, useState } from 'react';
import { imageDetail, type MethodRow, type ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { groupLabel, num, pct } from '../format';
import { Thumbnail } from '../Thumbnail';
import { TileGrid } from '../TileGrid';

const THUMB = 64;
const TILE_WIDTH = THUMB + 24;
const ROW_HEIGHT = THUMB + 34;
const GAP = 6;

/** Image drill-down: filter by group and by correct/incorrect; one image's scores under each method. */
export function Gallery({ input, rows, selected }: { input: ResultsInput; rows: MethodRow[]; selected: MethodRow }) {
  const thumbnails = useResults((s) => s.thumbnails);
  const selectedImage = useResults((s) => s.selectedImage);
  const selectImage = useResults((s) => s.selectImage);
  const [group, setGroup] = useState('all');
  const [correctness, setCorrectness] = useState<'all' | 'correct' | 'wrong'>('all');
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
            onChange={(e) => setCorrectness(e.target.value as 'all' | 'correct' | 'wrong')}
          >
            <option value="all">correct and wrong</option>
            <option value="correct">correct only</option>
            <option value="wrong">wrong only</option>
          </select>
        </div>
        <span className="muted">{matches.length} images; wrong ones have a dashed border and ✗</span>
      </div>
      <TileGrid
        count={matches.length}
        tile={{ width: TILE_WIDTH, rowHeight: ROW_HEIGHT, gap: GAP, initialColumns: 8 }}
        className="gallery-grid"
        label={`${matches.length} images; move between them with the arrow keys`}
        testId="gallery"
        keyOf={(position) => matches[position]}
        renderTile={(position, tile) => {
          const i = matches[position];
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
              <Thumbnail source={thumbnails.get(r.id)} alt={r.id} size={THUMB} />
              <span className="tile-name">
                {right ? '✓' : '✗'} {input.classes[selected.result.predicted[i]]}
              </span>
            </button>
          );
        }}
      />
      {detail && (
        <div className="image-detail" data-testid="image-detail">
          <div className="detail-head">
            <Thumbnail source={thumbnails.get(detail.record.id)} alt={detail.record.id} size={160} />
            <div>
              <p>
                <strong>{detail.record.id}</strong>
                <br />
                true class <strong>{detail.record.class}</strong>, attribute{' '}
                <strong>{detail.record.attribute || '(none)'}</strong>
              </p>
              <p>
                SAGE picked:{' '}
                {detail.sagePicked.map((t, j) => (
                  <span key={t}>
                    {j > 0 ? ', ' : ''}#{t} <q>{input.templates[t]}</q>
                  </span>
                ))}
              </p>
            </div>
          </div>
          <div className="two-col">
            <div className="table-wrap">
              <table>
                <caption>Class probabilities (softmax of 100 × cosine)</caption>
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
                      <th scope="row">{m.label}</th>
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
            <div className="table-wrap">
              <table>
                <caption>This image's templates with the largest class separation</caption>
                <thead>
                  <tr>
                    <th scope="col">template</th>
                    <th scope="col">separation</th>
                    {input.classes.map((c) => (
                      <th scope="col" key={c}>
                        cos({c})
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {detail.topTemplates.map((t) => (
                    <tr key={t.template} className={detail.sagePicked.includes(t.template) ? 'selected' : undefined}>
                      <td>
                        #{t.template} {t.text}
                        {detail.sagePicked.includes(t.template) ? ' (picked)' : ''}
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
      )}
    </section>
  );
}
