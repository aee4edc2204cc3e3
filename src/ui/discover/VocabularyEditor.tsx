import { useId, useRef, useState } from 'react';
import { useDiscovery } from '../../state/discovery';
import type { DiscoveryVocabulary } from '../../state/discoveryView';

/**
 * The candidate words: the default list, edited or pasted in the box (applied with a button, so typing does not
 * re-tag every image on each key), or a .txt file loaded. Says how many words there are and which were dropped
 * because they name a class.
 */
export function VocabularyEditor({ vocabulary }: { vocabulary: DiscoveryVocabulary }) {
  const text = useDiscovery((s) => s.vocabularyText);
  const source = useDiscovery((s) => s.vocabularySource);
  const fileError = useDiscovery((s) => s.fileError);
  const ensemble = useDiscovery((s) => s.ensemble);
  const [draft, setDraft] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();
  const shown = draft ?? text;
  const dropped = vocabulary.dropped;
  return (
    <details className="vocabulary-editor" data-testid="vocabulary-editor">
      <summary>
        Vocabulary: {vocabulary.listed} words from {source}
        {dropped.length > 0 ? `, ${dropped.length} left out because they name a class` : ''} · edit, paste or load
      </summary>
      <label htmlFor={`${ids}-words`}>Candidate words, one per line (commas also separate)</label>
      <textarea
        id={`${ids}-words`}
        data-testid="vocabulary-text"
        rows={8}
        value={shown}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
      />
      <div className="button-row">
        <button
          type="button"
          data-testid="vocabulary-apply"
          disabled={draft === null || draft === text}
          onClick={() => {
            if (draft !== null) useDiscovery.getState().setVocabularyText(draft);
            setDraft(null);
          }}
        >
          Use these words
        </button>
        <button type="button" className="secondary" onClick={() => fileInput.current?.click()}>
          Load a .txt word list…
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(null);
            useDiscovery.getState().resetVocabulary();
          }}
        >
          Back to the default list
        </button>
      </div>
      <input
        ref={fileInput}
        type="file"
        accept=".txt,text/plain"
        hidden
        data-testid="vocabulary-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          setDraft(null);
          if (file) void useDiscovery.getState().loadVocabularyFile(file);
        }}
      />
      {fileError && (
        <p className="error" role="alert">
          {fileError}
        </p>
      )}
      {dropped.length > 0 && (
        <p className="muted small-print">
          Left out because they name a class:{' '}
          {dropped
            .slice(0, 8)
            .map((d) => `‘${d.word}’ (${d.class})`)
            .join(', ')}
          {dropped.length > 8 ? ` and ${dropped.length - 8} more` : ''}.
        </p>
      )}
      <p className="muted small-print">
        Each word is read by CLIP as{' '}
        {ensemble
          ? `each of the ${vocabulary.templates.length} templates of these results, averaged`
          : '‘a photo of a {word}.’'}
        . The default list (scenes, colours, textures, lighting, objects, people) was written for this project.
      </p>
    </details>
  );
}
