import { useEffect, useId, useRef, useState } from 'react';
import { tipPlace, type TipPlace } from './floatingTip';
import { GLOSSARY, type GlossaryKey } from './glossary';
import './infoTip.css';

/** Below the button, or above it when there is little room below. */
const placeFor = (box: DOMRect): TipPlace => tipPlace(box, { width: 340, roomBelow: 160, gap: 4 });

/**
 * An ⓘ button that explains one glossary term. Hover or focus shows it, a click or tap pins it (touch screens
 * have no hover), Escape or a second click hides it. The text is also the button's accessible description, so
 * screen readers announce it without opening anything. Fixed positioning keeps it out of scrolling wrappers' clip.
 */
export function InfoTip({ term, text }: { term: GlossaryKey; text?: string }) {
  const entry = GLOSSARY[term];
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const [place, setPlace] = useState<TipPlace | null>(null);
  const [pinned, setPinned] = useState(false);
  const show = () => {
    const box = button.current?.getBoundingClientRect();
    if (box) setPlace(placeFor(box));
  };
  const hide = () => {
    setPinned(false);
    setPlace(null);
  };
  const open = place !== null;
  useEffect(() => {
    if (!open) return;
    const follow = () => {
      const box = button.current?.getBoundingClientRect();
      if (box) setPlace(placeFor(box));
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') hide();
    };
    window.addEventListener('scroll', follow, true);
    window.addEventListener('resize', follow);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('scroll', follow, true);
      window.removeEventListener('resize', follow);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <span className="info-tip">
      <button
        type="button"
        ref={button}
        className="info-button"
        aria-label={`What is ${entry.term}?`}
        aria-describedby={id}
        aria-expanded={open}
        data-testid={`info-${term}`}
        onMouseEnter={show}
        onMouseLeave={() => {
          if (!pinned) setPlace(null);
        }}
        onFocus={show}
        onBlur={hide}
        onClick={() => {
          if (pinned) hide();
          else {
            setPinned(true);
            show();
          }
        }}
      >
        {/* a CSS-drawn circled "i": the ⓘ character is missing from many fonts (it rendered as an empty box) */}
        <span className="info-icon" aria-hidden="true">
          i
        </span>
      </button>
      <span
        role="tooltip"
        id={id}
        className={open ? 'floating-tip info-text open' : 'floating-tip info-text'}
        style={place ?? undefined}
      >
        <strong>{entry.term}</strong>: {text ?? entry.text}
      </span>
    </span>
  );
}
