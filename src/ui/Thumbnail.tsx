import { useObjectUrl } from './useObjectUrl';
import './thumbnail.css';

/** At most `max` characters of an id, keeping its end (the file name tells images apart; folders repeat). */
export function shortId(id: string, max = 40): string {
  return id.length <= max ? id : `…${id.slice(id.length - max + 1)}`;
}

/**
 * A square picture; without one (a bundle stores embeddings, not images) it shows `fallback` (the image id)
 * when given, so tiles stay tellable apart, else an empty square.
 */
export function Thumbnail({
  source,
  alt,
  size = 64,
  fallback,
}: {
  source: Blob | string | undefined;
  alt: string;
  size?: number;
  fallback?: string;
}) {
  const url = useObjectUrl(source);
  if (!url && fallback !== undefined) {
    // a break opportunity after each "/" so paths wrap at folder boundaries
    const pieces = shortId(fallback).split('/');
    return (
      <span className="thumb thumb-missing" style={{ width: size, height: size }}>
        <span className="thumb-id" data-testid="thumb-id">
          {pieces.map((piece, j) => (
            <span key={j}>
              {piece}
              {j < pieces.length - 1 ? (
                <>
                  /<wbr />
                </>
              ) : null}
            </span>
          ))}
        </span>
      </span>
    );
  }
  return (
    <span className="thumb" style={{ width: size, height: size }}>
      {url ? <img src={url} alt={alt} width={size} height={size} decoding="async" /> : null}
    </span>
  );
}
