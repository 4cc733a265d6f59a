import { ViewerDocument } from '@soundedit/graphql';
import type { Metadata } from 'next';
import Link from 'next/link';
import { EditTile } from '../../components/edit-tile.tsx';
import { serverClient } from '../../lib/api.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'My edits' };

export default async function MyEditsPage() {
  const { viewer } = await (await serverClient()).request(ViewerDocument, { first: 48 });
  const edits = viewer?.edits.edges.map((e) => e.node) ?? [];
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">My edits</h1>
      {edits.length === 0 ? (
        <p>
          You have no edits yet.{' '}
          <Link href="/create" className="underline">
            Make one
          </Link>
          .
        </p>
      ) : (
        <>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
            Signed in as {viewer!.name} (this browser&apos;s session).
          </p>
          <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {edits.map((edit) => (
              <EditTile key={edit.id} edit={edit} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
