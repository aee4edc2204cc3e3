import { useEffect, useId, useMemo, useState } from 'react';
import type { AttributeWordRank, MethodId } from '../../core';
import type { MethodRow, ResultsInput } from '../../state/derive/views';
import { DEFAULT_VOCABULARY_TEXT, useDiscovery } from '../../state/discovery';
import { handOff, type HandOffHow } from '../../state/discoveryHandoff';
import { discoveryVocabulary, runDiscovery, selfCheck } from '../../state/discoveryView';
import { useResults } from '../../state/results';
import { canEmbedPrompts, embedPrompts, usePromptEmbedding, useRun } from '../../state/run';
import { InfoTip } from '../InfoTip';
import { ClassLists, type WordActions } from './DiscoveryLists';
import { AgreementTable, inferredDescription } from './InferredAttribute';
import { VocabularyEditor } from './VocabularyEditor';
import './discover.css';

/**
 * Attribute discovery (issue 14, METHODS §5): which vocabulary words CLIP ties to one method's mistakes, class by
 * class, and a one-click hand-off that makes a word the attribute every other view groups by.
 */
export function DiscoverView({ input, rows }: { input: ResultsInput; rows: readonly MethodRow[] }) {
  const open = useDiscovery((s) => s.open);
  return (
    <section className="chart-frame discover" id="discover" aria-labelledby="discover-title" data-testid="discover">
      <h3 id="discover-title">Discover the attribute</h3>
      <Caveat />
      {open ? (
        <DiscoverBody input={input} rows={rows} />
      ) : (
        <button type="button" data-testid="discover-start" onClick={() => useDiscovery.getState().setOpen(true)}>
          Find candidate words
        </button>
      )}
    </section>
  );
}

function Caveat() {
  return (
    <p className="discover-caveat">
      Without attribute labels, this ranks words from a vocabulary by how much they go with the model’s mistakes in each
      class. CLIP does both jobs here: it tags which words are in each image <em>and</em> it is the model being audited,
      so the tags are noisy and share its blind spots. A word found here is a hypothesis: group the images by it (click
      the word) and check whether the worst group and δ hold up.
    </p>
  );
}

function DiscoverBody({ input, rows }: { input: ResultsInput; rows: readonly MethodRow[] }) {
  const ids = useId();
  const text = useDiscovery((s) => s.vocabularyText);
  const ensemble = useDiscovery((s) => s.ensemble);
  const method = useDiscovery((s) => s.method);
  const topK = useDiscovery((s) => s.topK);
  const picked = useDiscovery((s) => s.picked);
  const inferred = useResults((s) => s.inferred);
  const attributeWords = useResults((s) => s.attributeWords);
  const source = useResults((s) => s.source);
  const pending = usePromptEmbedding((s) => s.pending);
  const embedError = usePromptEmbedding((s) => s.error);
  const runPhase = useRun((s) => s.phase);
  const [handOffError, setHandOffError] = useState<string | null>(null);

  const vocabulary = useMemo(() => discoveryVocabulary(input, text, ensemble), [input, text, ensemble]);
  const canEmbed = canEmbedPrompts();
  // the vocabulary prompts the results lack: read by the results' model when it is loaded (cached per model)
  useEffect(() => {
    if (vocabulary.missing.length > 0) void embedPrompts(vocabulary.missing);
  }, [vocabulary, runPhase]);

  const expected = useResults((s) => s.expected);
  const busy = runPhase === 'loading' || runPhase === 'text' || runPhase === 'images';
  // tagging costs N·V·dim: once all images are in, not again on every streamed batch
  // (a cancelled or failed run stays short of `expected`: its images so far are all there will be)
  const complete = !busy && (input.analysis.n >= expected || runPhase === 'cancelled' || runPhase === 'error');
  const row = rows.find((r) => r.method === method) ?? rows.find((r) => r.method === 'zeroshot') ?? rows[0];
  const result = useMemo(
    () => (row && complete ? runDiscovery(input, row, vocabulary, topK) : null),
    [input, row, vocabulary, topK, complete],
  );
  const predicted = row?.result.predicted ?? new Int32Array(0);
  const realRecords = inferred ? inferred.real.records : input.records;
  const realWords = inferred ? inferred.real.attributeWords : attributeWords;
  const ranks = useMemo(
    () => (result ? selfCheck(result, input, realRecords, realWords) : null),
    [result, input, realRecords, realWords],
  );

  const group = (words: readonly string[], how: HandOffHow) => {
    if (!result) return;
    setHandOffError(null);
    void handOff(input, { words: vocabulary.words, embeddings: vocabulary.embeddings, tags: result.tags }, words, how)
      .then((problem) => setHandOffError(problem))
      .catch((error: unknown) => setHandOffError(`The words could not be turned into groups: ${String(error)}`));
  };
  const actions: WordActions = {
    picked,
    onPick: (word) => useDiscovery.getState().togglePicked(word),
    onGroupBy: (word) => group([word], 'tags'),
    groupedBy: inferred?.how === 'tags' ? inferred.words : [],
    disabled: busy,
  };
  const waiting = vocabulary.missing.filter((t) => pending.includes(t)).length;

  return (
    <div className="discover-body">
      <div className="controls">
        <div className="field">
          <div className="field-head">
            <label htmlFor={`${ids}-method`}>method audited</label>
            <InfoTip term="auditedMethod" />
          </div>
          <select
            id={`${ids}-method`}
            data-testid="discover-method"
            value={row?.method ?? method}
            onChange={(e) => useDiscovery.getState().setMethod(e.target.value as MethodId)}
          >
            {rows.map((r) => (
              <option key={r.method} value={r.method}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <div className="field-head">
            <label htmlFor={`${ids}-k`}>words tagged per image (top-k)</label>
            <InfoTip term="presenceTopK" />
          </div>
          <input
            id={`${ids}-k`}
            data-testid="discover-top-k"
            type="number"
            min={1}
            max={50}
            step={1}
            value={topK}
            onChange={(e) => useDiscovery.getState().setTopK(Number(e.target.value))}
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={ensemble}
            onChange={(e) => useDiscovery.getState().setEnsemble(e.target.checked)}
          />{' '}
          read each word with all {input.templates.length} templates (ensemble; {input.templates.length}× the texts to
          embed)
        </label>
      </div>
      <VocabularyEditor vocabulary={vocabulary} />
      <PromptStatus
        missing={vocabulary.missing}
        waiting={waiting}
        canEmbed={canEmbed}
        fromFile={source?.kind !== 'run'}
        found={vocabulary.words.length}
        custom={text !== DEFAULT_VOCABULARY_TEXT}
        ensemble={ensemble}
      />
      {embedError && (
        <p className="error" role="alert">
          {embedError}
        </p>
      )}
      {inferred && (
        <div className="inferred-now" data-testid="discover-inferred">
          <p>
            <span className="badge inferred">inferred attribute</span> Every view above now groups by{' '}
            {inferredDescription(inferred)}. <a href="#group-chart">See the groups</a>
          </p>
          <AgreementTable inferred={inferred} />
        </div>
      )}
      {picked.length > 0 && (
        <div className="picked-bar" data-testid="picked-bar" role="group" aria-label="words picked for a set">
          <span>
            Picked: <strong>{picked.join(', ')}</strong>
          </span>
          <button type="button" disabled={busy} data-testid="group-by-picked" onClick={() => group(picked, 'tags')}>
            Group by any of these vs the rest
          </button>
          <button
            type="button"
            className="secondary"
            disabled={busy || picked.length < 2}
            data-testid="group-by-closest"
            title="Each image goes to the picked word CLIP puts closest to it (a contrast such as land vs water)"
            onClick={() => group(picked, 'argmax')}
          >
            Group by the closest of these
          </button>
          <button type="button" className="secondary small" onClick={() => useDiscovery.getState().clearPicked()}>
            Clear
          </button>
        </div>
      )}
      {handOffError && (
        <p className="error" role="alert">
          {handOffError}
        </p>
      )}
      {!complete && (
        <p className="status" role="status">
          Discovery starts when every image is analysed ({input.analysis.n} of {expected} so far).
        </p>
      )}
      {ranks && ranks.length > 0 && <SelfCheck ranks={ranks} />}
      {result && row && (
        <div className="discover-classes" data-testid="discover-results" data-method={row.method}>
          <p className="muted">
            Explaining the mistakes of <strong>{row.label}</strong>; a word is present in an image when it is among the
            image’s top {result.topK} of {vocabulary.words.length} words. Click a word to group every view by it, or
            tick several (e.g. water, ocean, beach) and group by the set.
          </p>
          {result.classes.map((c) => (
            <ClassLists key={c.class} discovery={c} input={input} predicted={predicted} actions={actions} />
          ))}
        </div>
      )}
    </div>
  );
}

/** Whether the vocabulary prompts are there, being read, or how to get them. */
function PromptStatus({
  missing,
  waiting,
  canEmbed,
  fromFile,
  found,
  custom,
  ensemble,
}: {
  missing: readonly string[];
  waiting: number;
  canEmbed: boolean;
  fromFile: boolean;
  found: number;
  /** the words are not the default list */
  custom: boolean;
  ensemble: boolean;
}) {
  if (missing.length === 0) return null;
  if (waiting > 0 || canEmbed) {
    return (
      <p className="status" role="status" data-testid="vocabulary-embedding">
        CLIP is reading {missing.length} vocabulary prompt{missing.length === 1 ? '' : 's'} (once for this model)…
      </p>
    );
  }
  const example = missing[0];
  return (
    <p className="warning" data-testid="vocabulary-missing">
      {found > 0 ? `Only ${found} words can be used: ` : 'No vocabulary word can be used yet: '}
      these results do not include CLIP’s reading of {missing.length} vocabulary prompt
      {missing.length === 1 ? '' : 's'} (such as ‘{example}’).{' '}
      {fromFile
        ? `Store them in the bundle with the CLI: sage-explorer embed <images> --model <model> --vocab ${custom ? 'words.txt (your list, one word per line)' : 'default'}${ensemble ? ' --vocab-prompts ensemble' : ''}, then open the new bundle; or run the images in this app with the same model, which reads them after the run.`
        : 'Run the images again in this app with the model: it reads the words after the run.'}
    </p>
  );
}

function SelfCheck({ ranks }: { ranks: readonly AttributeWordRank[] }) {
  const rank = (value: number | null) => (value === null ? 'not listed' : `#${value}`);
  return (
    <details className="self-check" data-testid="self-check">
      <summary>Self-check: where the images’ real attribute words rank</summary>
      <p className="muted">
        These images also carry attribute labels. If discovery works on them, the real attribute (e.g. water for
        landbirds, land for waterbirds) should rank near the top of “hurts” for the class it trips up. Trust the lists
        above more when it does.
      </p>
      <div className="table-scroll">
        <table data-testid="self-check-table">
          <thead>
            <tr>
              <th scope="col">class</th>
              <th scope="col">real attribute</th>
              <th scope="col">hurts</th>
              <th scope="col">helps</th>
              <th scope="col">B2T</th>
            </tr>
          </thead>
          <tbody>
            {ranks.map((r) => (
              <tr key={`${r.class}/${r.attribute}`}>
                <td>{r.class}</td>
                <td>
                  {r.attribute}
                  {r.word === null && <span className="sub">not in the vocabulary</span>}
                </td>
                <td>{r.word === null ? '–' : rank(r.hurtsRank)}</td>
                <td>{r.word === null ? '–' : rank(r.helpsRank)}</td>
                <td>{r.word === null ? '–' : rank(r.b2tRank)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
