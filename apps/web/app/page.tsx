import { GalleryDocument, PacksDocument } from '@soundedit/graphql';
import { GalleryGrid } from '../components/gallery-grid.tsx';
import { LiveFeed } from '../components/live-feed.tsx';
import { publicWsUrl, serverClient } from '../lib/api.ts';
import type { GalleryFilter, GalleryOrder } from '../lib/types.ts';

export const dynamic = 'force-dynamic';

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export default async function GalleryPage({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  const filter: GalleryFilter = {};
  const pack = one(search['pack']);
  const soundClass = one(search['class']);
  const q = one(search['q']);
  if (pack) filter.pack = pack;
  if (soundClass) filter.soundClass = soundClass;
  if (q) filter.promptContains = q;
  const orderBy: GalleryOrder = one(search['order']) === 'liked' ? 'MOST_LIKED' : 'NEWEST';
  const client = await serverClient();
  const [{ packs }, { edits }] = await Promise.all([
    client.request(PacksDocument, {}),
    client.request(GalleryDocument, { first: 24, filter, orderBy }),
  ]);
  const classes = [...new Set(packs.flatMap((p) => p.classes.map((c) => c.name)))].sort();
  const wsUrl = publicWsUrl();
  const field =
    'max-w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900';

  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">Gallery</h1>
      <LiveFeed wsUrl={wsUrl} />
      <form
        role="search"
        aria-label="Filter the gallery"
        className="mb-6 flex flex-wrap items-end gap-3"
        method="get"
      >
        <label className="flex min-w-0 max-w-full flex-col gap-1 text-sm">
          Pack
          <select name="pack" defaultValue={pack ?? ''} className={field}>
            <option value="">All packs</option>
            {packs.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col gap-1 text-sm">
          Sound class
          <select name="class" defaultValue={soundClass ?? ''} className={field}>
            <option value="">All sounds</option>
            {classes.map((c) => (
              <option key={c} value={c}>
                {c.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col gap-1 text-sm">
          Order
          <select name="order" defaultValue={orderBy === 'MOST_LIKED' ? 'liked' : 'new'} className={field}>
            <option value="new">Newest</option>
            <option value="liked">Most liked</option>
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col gap-1 text-sm">
          Prompt contains
          <input type="search" name="q" defaultValue={q ?? ''} className={field} />
        </label>
        <button
          type="submit"
          className="rounded-md bg-accent px-4 py-1.5 text-sm font-medium text-white hover:bg-accent-strong focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
        >
          Apply
        </button>
      </form>
      <GalleryGrid
        key={JSON.stringify({ filter, orderBy })}
        initial={edits.edges.map((e) => e.node)}
        endCursor={edits.pageInfo.endCursor}
        hasNextPage={edits.pageInfo.hasNextPage}
        filter={filter}
        orderBy={orderBy}
        wsUrl={wsUrl}
      />
    </>
  );
}
