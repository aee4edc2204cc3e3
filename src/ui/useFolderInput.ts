import { useCallback, useRef } from 'react';

/**
 * A file input that picks a whole folder: `attach` is the ref callback of the (hidden) <input type="file">, `open` shows the picker.
 * `webkitdirectory` is not in React's attribute types, so it is set on the node; Chromium, Firefox and Safari
 * all support it.
 */
export function useFolderInput(): { attach: (node: HTMLInputElement | null) => void; open: () => void } {
  const input = useRef<HTMLInputElement | null>(null);
  const attach = useCallback((node: HTMLInputElement | null) => {
    input.current = node;
    node?.setAttribute('webkitdirectory', '');
  }, []);
  const open = useCallback(() => input.current?.click(), []);
  return { attach, open };
}
