import { useMemo, useState } from 'react';
import type { ClassDiscovery, DiscoveryRow } from '../../core';
import type { ResultsInput } from '../../state/derive/views';
import { useResults } from '../../state/results';
import { pct } from '../format';
import { InfoTip } from '../InfoTip';
import { pointsText } from '../results/chartParts';
import { Thumbnail } from '../Thumbnail';

/** Rows shown per list before "show all". */
const SHOWN = 8;
/** Example thumbnails per row (the core keeps up to 8, wrong ones first). */
const EXAMPLES = 6;

export interface WordActions {
  picked: readonly string[];
  onPick(word: string): void;
  /** one click: group every view by this word */
  onGroupBy(word: string): void;
  /** the word the views are grouped by now (null when real labels are used) */
  groupedBy: readonly string[];
  disabled: boolean;
}

/** One class's "hurts when present" and "helps when present" lists, or why the class was skipped. */
export function ClassLists({
  discovery,
  input,
  predicted,
  actions,
}: {
  discovery: ClassDiscovery;
  input: ResultsInput;
  predicted: Int32Array;
  actions: WordActions;
}) {
  return (
    <section className="discover-class" data-testid="discover-class" data-class={discovery.class}>
      <h4>
        {discovery.class}{' '}
        <span className="muted">
          · {discovery.n} images, {discovery.nWrong} wrong, {discovery.nRight} right
        </span>
      </h4>
      {discovery.skipped ? (
        <p className="muted" data-testid="discover-skipped">
          Skipped: {discovery.skipped}. With so few, the comparison of wrong and right images would be mostly noise.
        </p>
      ) : (
        <div className="discover-lists">
          <WordList
            title="Hurts when present"
            testId="discover-hurts"
            explanation="the method is wrong more often when CLIP sees the word"
            rows={discovery.hurts}
            input={input}
            predicted={predicted}
            actions={actions}
          />
          <WordList
            title="Helps when present"
            testId="discover-helps"
            explanation="the method is right more often when CLIP sees the word"
            rows={discovery.helps}
            input={input}
            predicted={predicted}
            actions={actions}
          />
        </div>
      )}
    </section>
  );
}

function WordList({
  title,
  testId,
  explanation,
  rows,
  input,
  predicted,
  actions,
}: {
  title: string;
  testId: string;
  explanation: string;
  rows: readonly DiscoveryRow[];
  input: ResultsInput;
  predicted: Int32Array;
  actions: WordActions;
}) {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, SHOWN);
  return (
    <div className="discover-list" data-testid={testId}>
      <h5>
        {title} <span className="muted">({explanation})</span>
      </h5>
      {rows.length === 0 ? (
        <p className="muted">
          No word passes the check here: none is tagged in at least 10 images and missing from at least 10 with a
          difference in accuracy.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="discover-table">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">pick for a set</span>
                </th>
                <th scope="col">word</th>
                <th scope="col">
                  B2T <InfoTip term="b2tScore" />
                </th>
                <th scope="col">
                  δ when present <InfoTip term="presenceDelta" />
                </th>
                <th scope="col">
                  n present / absent <InfoTip term="presentAbsent" />
                </th>
                <th scope="col">
                  MI <InfoTip term="mi" />
                </th>
                <th scope="col">examples (wrong ones first, dashed red)</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <WordRow key={row.word} row={row} input={input} predicted={predicted} actions={actions} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > SHOWN && (
        <button type="button" className="secondary small" onClick={() => setAll((v) => !v)}>
          {all ? `Show the first ${SHOWN}` : `Show all ${rows.length}`}
        </button>
      )}
    </div>
  );
}

function WordRow({
  row,
  input,
  predicted,
  actions,
}: {
  row: DiscoveryRow;
  input: ResultsInput;
  predicted: Int32Array;
  actions: WordActions;
}) {
  const picked = actions.picked.includes(row.word);
  const current = actions.groupedBy.length === 1 && actions.groupedBy[0] === row.word;
  return (
    <tr className={picked ? 'picked' : undefined} data-word={row.word}>
      <td className="pick-cell">
        <input
          type="checkbox"
          checked={picked}
          aria-label={`pick ‘${row.word}’ for a set of words`}
          onChange={() => actions.onPick(row.word)}
        />
      </td>
      <td className="word-cell">
        <button
          type="button"
          className="word-button"
          data-testid="group-by-word"
          disabled={actions.disabled || current}
          title={`Group every view by whether CLIP tags ‘${row.word}’ in an image`}
          onClick={() => actions.onGroupBy(row.word)}
        >
          {row.word}
        </button>
        {current && <span className="badge inferred">grouped by</span>}
      </td>
      <td className="num" data-label="B2T">
        {row.b2tScore.toFixed(2)}
      </td>
      <td className="num" data-label="δ when present">
        <strong>{pointsText(row.delta * 100)}</strong>
        <span className="sub">
          95%: {pointsText(row.ci95[0] * 100)} to {pointsText(row.ci95[1] * 100)}
        </span>
        <span className="sub">
          right {pct(row.accPresent)} with, {pct(row.accAbsent)} without
        </span>
      </td>
      <td className="num" data-label="n present / absent">
        {row.nPresent} / {row.nAbsent}
      </td>
      <td className="num" data-label="MI">
        {row.mi.toFixed(3)}
      </td>
      <td data-label="examples">
        <ExampleStrip indices={row.examples} input={input} predicted={predicted} word={row.word} />
      </td>
    </tr>
  );
}

/** A few of the class's images tagged with the word, wrong ones first; a click shows the image below. */
function ExampleStrip({
  indices,
  input,
  predicted,
  word,
}: {
  indices: readonly number[];
  input: ResultsInput;
  predicted: Int32Array;
  word: string;
}) {
  const thumbnails = useResults((s) => s.thumbnails);
  const classIndex = useMemo(() => new Map(input.classes.map((c, i) => [c, i])), [input.classes]);
  return (
    <span className="example-strip">
      {indices.slice(0, EXAMPLES).map((i) => {
        const record = input.records[i];
        const wrong = predicted[i] !== classIndex.get(record.class);
        const label = `${record.id}: ${wrong ? `wrong (predicted ${input.classes[predicted[i]]})` : 'right'}, tagged ‘${word}’`;
        return (
          <button
            key={record.id}
            type="button"
            className={wrong ? 'example wrong' : 'example'}
            title={label}
            aria-label={`show ${label}`}
            onClick={() => {
              useResults.getState().selectImage(record.id);
              document.getElementById('gallery')?.scrollIntoView({ block: 'start' });
            }}
          >
            <Thumbnail source={thumbnails.get(record.id)} alt="" size={36} />
          </button>
        );
      })}
    </span>
  );
}
