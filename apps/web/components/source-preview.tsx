'use client';
import { SourcePreviewDocument } from '@soundedit/graphql';
import { useEffect, useState } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import { errorText } from '../lib/error-text.ts';

/** The picture a seed gives in a pack: what the edit will start from. Follows seed and pack as they change. */
export function SourcePreview({ pack, seed }: { pack: string; seed: number }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      browserClient()
        .request(SourcePreviewDocument, { pack, seed })
        .then(({ sourcePreview }) => {
          if (current) {
            setSrc(sourcePreview);
            setError(null);
          }
        })
        .catch((e: unknown) => current && setError(errorText(e)));
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [pack, seed]);
  return (
    <figure className="flex flex-col items-start gap-1">
      {src ? (
        <img
          src={src}
          alt={`The source picture for seed ${seed}`}
          className="pixelated h-32 w-32 rounded"
          data-testid="source-preview"
        />
      ) : (
        <div className="h-32 w-32 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden="true" />
      )}
      <figcaption className="text-xs text-zinc-600 dark:text-zinc-400">{error ?? `Seed ${seed}`}</figcaption>
    </figure>
  );
}
