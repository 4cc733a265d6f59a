import { EditPageDocument, PacksDocument } from '@soundedit/graphql';
import type { Metadata } from 'next';
import { CreateForm } from '../../components/create-form.tsx';
import { serverClient } from '../../lib/api.ts';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function CreatePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const remixId = (await searchParams)['remix'];
  const client = await serverClient();
  const { packs } = await client.request(PacksDocument, {});
  const remix =
    typeof remixId === 'string' && UUID.test(remixId)
      ? ((await client.request(EditPageDocument, { id: remixId })).edit ?? null)
      : null;
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold tracking-tight">
        {remix ? 'Remix an edit' : 'Create an edit'}
      </h1>
      {packs.length === 0 ? (
        <p role="alert">No model packs are installed on this server.</p>
      ) : (
        <CreateForm packs={packs} remix={remix} />
      )}
    </>
  );
}
