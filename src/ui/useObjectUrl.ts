import { useEffect, useState } from 'react';

/**
 * An object URL for a Blob while the component is mounted, revoked on unmount.
 * Thumbnails are created lazily (only for visible rows of a virtualised grid), so 10,000 images
 * never hold 10,000 URLs at once. Strings (data URLs from reports) pass through.
 */
export function useObjectUrl(source: Blob | string | undefined): string | undefined {
  const [url, setUrl] = useState<string | undefined>(typeof source === 'string' ? source : undefined);
  useEffect(() => {
    if (source === undefined) {
      setUrl(undefined);
      return;
    }
    if (typeof source === 'string') {
      setUrl(source);
      return;
    }
    const created = URL.createObjectURL(source);
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [source]);
  return url;
}
