import { useObjectUrl } from './useObjectUrl';

export function Thumbnail({
  source,
  alt,
  size = 64,
}: {
  source: Blob | string | undefined;
  alt: string;
  size?: number;
}) {
  const url = useObjectUrl(source);
  return (
    <span className="thumb" style={{ width: size, height: size }}>
      {url ? <img src={url} alt={alt} width={size} height={size} decoding="async" /> : null}
    </span>
  );
}
