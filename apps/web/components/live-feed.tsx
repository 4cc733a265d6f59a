'use client';
import { GalleryFeedDocument } from '@soundedit/graphql';
import { useEffect, useState } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import type { EditCard } from '../lib/types.ts';
import { EditTile } from './edit-tile.tsx';

const KEEP = 6;

/** "Just made": edits as they finish anywhere, over the API's gallery feed. */
export function LiveFeed({ wsUrl }: { wsUrl: string }) {
  const [edits, setEdits] = useState<EditCard[]>([]);
  const [connected, setConnected] = useState(true);

  useEffect(() => {
    let stopped = false;
    const iterator = browserClient(wsUrl).subscribe(GalleryFeedDocument, {});
    void (async () => {
      try {
        for await (const { galleryFeed } of iterator) {
          if (stopped) break;
          setEdits((old) => [galleryFeed, ...old.filter((e) => e.id !== galleryFeed.id)].slice(0, KEEP));
        }
      } catch {
        if (!stopped) setConnected(false);
      }
    })();
    return () => {
      stopped = true;
      void iterator.return(undefined);
    };
  }, [wsUrl]);

  return (
    <section aria-labelledby="live-heading" className="mb-8">
      <h2
        id="live-heading"
        className="mb-2 text-sm font-semibold uppercase tracking-wide text-zinc-600 dark:text-zinc-400"
      >
        Just made {connected ? <span className="sr-only">(live)</span> : '(live updates unavailable)'}
      </h2>
      <div aria-live="polite">
        {edits.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">New edits appear here as they finish.</p>
        ) : (
          <ul className="grid grid-cols-3 gap-3 sm:grid-cols-6">
            {edits.map((edit) => (
              <EditTile key={edit.id} edit={edit} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
