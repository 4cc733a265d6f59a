'use client';
import { GalleryDocument } from '@soundedit/graphql';
import { useCallback, useEffect, useRef, useState } from 'react';
import { browserClient } from '../lib/browser-client.ts';
import { errorText } from '../lib/error-text.ts';
import type { EditCard, GalleryFilter, GalleryOrder } from '../lib/types.ts';
import { EditTile } from './edit-tile.tsx';

const PAGE = 24;

/** The gallery's grid: the first page comes rendered from the server, more load as the end scrolls into view. */
export function GalleryGrid(props: {
  initial: EditCard[];
  endCursor: string | null;
  hasNextPage: boolean;
  filter: GalleryFilter;
  orderBy: GalleryOrder;
  wsUrl: string;
}) {
  const [edits, setEdits] = useState(props.initial);
  const [cursor, setCursor] = useState(props.endCursor);
  const [more, setMore] = useState(props.hasNextPage);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sentinel = useRef<HTMLDivElement>(null);

  const loadMore = useCallback(async () => {
    if (loading || !more) return;
    setLoading(true);
    setError(null);
    try {
      const { edits: page } = await browserClient(props.wsUrl).request(GalleryDocument, {
        first: PAGE,
        after: cursor,
        filter: props.filter,
        orderBy: props.orderBy,
      });
      setEdits((old) => {
        const seen = new Set(old.map((e) => e.id));
        return [...old, ...page.edges.map((e) => e.node).filter((e) => !seen.has(e.id))];
      });
      setCursor(page.pageInfo.endCursor);
      setMore(page.pageInfo.hasNextPage);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [loading, more, cursor, props.filter, props.orderBy, props.wsUrl]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node || !more) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadMore();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [loadMore, more]);

  if (edits.length === 0) {
    return <p className="text-zinc-600 dark:text-zinc-400">No edits match yet. Make the first one.</p>;
  }
  return (
    <div>
      <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" aria-label="Edits">
        {edits.map((edit) => (
          <EditTile key={edit.id} edit={edit} />
        ))}
      </ul>
      <div ref={sentinel} className="mt-6 flex flex-col items-center gap-2">
        {error ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
        {more ? (
          <button
            type="button"
            onClick={() => void loadMore()}
            disabled={loading}
            className="rounded-md border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
          >
            {loading ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </div>
    </div>
  );
}
