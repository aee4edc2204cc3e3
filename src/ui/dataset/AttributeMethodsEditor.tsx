import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  DEFAULT_METHOD_SETTINGS,
  acceptPairsText,
  parseAcceptPairs,
  parseLambda,
  parsePhrasings,
  phrasingsText,
  useMethodSettings,
  type Parsed,
} from '../../state/methodSettings';

/**
 * A field bound to one setting: typing keeps the draft as written and stores it whenever it parses, so a
 * half-typed line never reaches the methods; leaving the field shows the stored value again, tidied. With `rows`
 * it is a text area (one entry per line), without it a one-line number field (λ).
 */
function SettingField<T>({
  id,
  label,
  hint,
  stored,
  parse,
  commit,
  rows,
}: {
  id: string;
  label: string;
  hint: string;
  stored: string;
  parse: (text: string) => Parsed<T>;
  commit: (value: T) => void;
  rows?: number;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? stored;
  const parsed = parse(text);
  const errors = parsed.ok ? [] : parsed.errors;
  const field = {
    id,
    value: text,
    onChange: (e: { target: { value: string } }) => {
      setDraft(e.target.value);
      const next = parse(e.target.value);
      if (next.ok) commit(next.value);
    },
    onBlur: () => {
      if (parsed.ok) setDraft(null);
    },
    'aria-invalid': errors.length > 0 ? true : undefined,
    'aria-describedby': errors.length > 0 ? `${id}-hint ${id}-error` : `${id}-hint`,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="muted" id={`${id}-hint`}>
        {hint}
      </span>
      {rows === undefined ? (
        <input type="number" min={0} step="any" {...field} />
      ) : (
        <textarea rows={rows} spellCheck={false} {...field} />
      )}
      {errors.length > 0 && (
        <span className="error" id={`${id}-error`}>
          {errors.join(' ')} The methods keep the last valid setting until this is fixed.
        </span>
      )}
    </div>
  );
}

/**
 * Settings of the methods that use the attribute words (RoboShot, TIE*, TIE, Orth-Proj, Orth-Cali): the
 * phrasings each word is put into, RoboShot's accept pairs and Orth-Cali's λ. Changing a phrasing embeds only
 * the texts that are new (with the model that made the results, when it is loaded).
 */
export function AttributeMethodsEditor({ idPrefix = '' }: { idPrefix?: string }) {
  const { phrasings, acceptPairs, lambda, setPhrasings, setAcceptPairs, setLambda, set } = useMethodSettings(
    useShallow((s) => s),
  );
  // a reset drops the drafts, even ones that did not parse
  const [resets, setResets] = useState(0);
  const isDefault =
    phrasingsText(phrasings) === phrasingsText(DEFAULT_METHOD_SETTINGS.phrasings) &&
    acceptPairs.length === 0 &&
    lambda === DEFAULT_METHOD_SETTINGS.lambda;
  const id = (name: string) => `${idPrefix}${name}`;
  return (
    <details className="attribute-methods-editor" data-testid="attribute-methods-editor">
      <summary>
        Attribute-word methods (RoboShot, TIE*, TIE, Orth-Proj, Orth-Cali): {phrasings.length} phrasing
        {phrasings.length === 1 ? '' : 's'}, {acceptPairs.length} accept pair{acceptPairs.length === 1 ? '' : 's'}, λ ={' '}
        {lambda}
        {isDefault ? ' (defaults)' : ' (edited)'}
      </summary>
      <SettingField
        key={`phrasings-${resets}`}
        id={id('phrasings')}
        label="Attribute phrasings, one per line"
        hint="“{}” is replaced by each attribute word; a word's direction is the mean of its phrasings."
        stored={phrasingsText(phrasings)}
        parse={parsePhrasings}
        commit={setPhrasings}
        rows={Math.max(3, phrasings.length + 1)}
      />
      <SettingField
        key={`accept-${resets}`}
        id={id('accept-pairs')}
        label="RoboShot accept pairs, one “p | q” per line (optional)"
        hint="Features that really tell the classes apart, e.g. “webbed feet | talons”: RoboShot amplifies T(p) − T(q)."
        stored={acceptPairsText(acceptPairs)}
        parse={parseAcceptPairs}
        commit={setAcceptPairs}
        rows={Math.max(2, acceptPairs.length + 1)}
      />
      <SettingField
        key={`lambda-${resets}`}
        id={id('orthcali-lambda')}
        label="Orth-Cali λ"
        hint="How strongly the group prompts of each class are made to agree; Orth-Proj is the same with λ = 0."
        stored={String(lambda)}
        parse={parseLambda}
        commit={setLambda}
      />
      <button
        type="button"
        className="secondary"
        disabled={isDefault}
        onClick={() => {
          set(DEFAULT_METHOD_SETTINGS);
          setResets((n) => n + 1);
        }}
      >
        Reset to the defaults
      </button>
    </details>
  );
}
