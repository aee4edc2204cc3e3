import { useEffect } from 'react';
import { useDataset } from '../../state/dataset';

/** Keys typed into these keep their own undo (the browser's, inside the field). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type)
  );
}

/**
 * Undo and redo for re-tags and label edits, each button saying what it undoes ("Undo: re-tag 4 images as
 * waterbird"); Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z do the same when focus is not in a text field.
 */
export function UndoBar() {
  const lastDone = useDataset((s) => s.undoStack.at(-1));
  const lastUndone = useDataset((s) => s.redoStack.at(-1));
  const undo = useDataset((s) => s.undo);
  const redo = useDataset((s) => s.redo);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== 'z') return;
      if (isTextField(event.target)) return;
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, redo]);

  if (!lastDone && !lastUndone) return null;
  return (
    <div className="undo-bar" role="group" aria-label="Undo or redo label changes" data-testid="undo-bar">
      <button type="button" className="secondary" disabled={!lastDone} onClick={undo} aria-keyshortcuts="Control+Z">
        {lastDone ? `Undo: ${lastDone.description}` : 'Undo'}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={!lastUndone}
        onClick={redo}
        aria-keyshortcuts="Control+Shift+Z"
      >
        {lastUndone ? `Redo: ${lastUndone.description}` : 'Redo'}
      </button>
      <span className="muted undo-keys">Ctrl+Z / Ctrl+Shift+Z (⌘ on a Mac)</span>
    </div>
  );
}
