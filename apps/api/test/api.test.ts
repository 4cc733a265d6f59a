import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToneWav } from '@soundedit/core/testing';
import { postgresReachable } from '@soundedit/service/testing';
import { ApiHarness } from './api-harness.ts';

const tone = testToneWav();

const EDIT_FIELDS = `id status pack step totalSteps remixCount likeCount likedByViewer soundClass
  resultUrl sourceUrl sideBySideUrl trajectoryUrl recordUrl errorCode
  parameters { seed prompt steps mask } parent { id } author { name }
  metrics { finalCosine layerChange layerWeights seconds } steps { step loss cosine }`;

const CREATE = `mutation($input: CreateEditInput!) { createEdit(input: $input) { id status queuePosition totalSteps } }`;
const PROGRESS = `subscription($id: ID!) { editProgress(id: $id) { status queuePosition step totalSteps loss preview edit { id status resultUrl } } }`;

interface Progress {
  editProgress: {
    status: string;
    queuePosition: number | null;
    step: number;
    totalSteps: number;
    loss: number | null;
    preview: string | null;
    edit: { id: string; status: string; resultUrl: string | null } | null;
  };
}

const postgres = await postgresReachable();
if (!postgres)
  console.warn('PostgreSQL on 127.0.0.1:5432 is not reachable: the API suite runs on PGlite only');

describe.each(['pglite', 'postgres'] as const)('on %s', (kind) => {
  let api: ApiHarness;
  let soundId: string;

  beforeAll(async () => {
    if (kind === 'postgres' && !postgres) return;
    api = await ApiHarness.start({ burst: 100, perMinute: 1000, maxActiveEdits: 10 }, kind);
    const up = await api.upload(tone);
    expect(up.status).toBe(201);
    soundId = up.body['id'] as string;
  });
  afterAll(() => api?.stop());
  const describe_ = kind === 'postgres' && !postgres ? describe.skip : describe;

  async function runEdit(input: Record<string, unknown>): Promise<string> {
    const created = await api.gql<{ createEdit: { id: string } }>(CREATE, { input });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createEdit.id;
    const client = api.wsClient();
    await api.collect<Progress>(client, PROGRESS, { id });
    await client.dispose();
    return id;
  }

  describe_('the GraphQL API over real HTTP and WebSocket', () => {
    it('lists packs to anyone, and refuses to create without an identity', async () => {
      const packs = await api.gql<{ packs: { name: string; resolution: number; styleLayers: number }[] }>(
        '{ packs { name resolution styleLayers classes { name } defaults { steps space } } }',
        {},
        {},
      );
      expect(packs.data!.packs).toEqual([expect.objectContaining({ name: 'test-rain', resolution: 16 })]);
      const refused = await api.gql(CREATE, { input: { soundId } }, {});
      expect(refused.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('lets a bot token act for Discord users, each their own account, and no other token', async () => {
      const bot = await api.newToken('the bot', true);
      const as = (token: string, user: string, name: string) =>
        api.gql<{ viewer: { id: string; name: string; kind: string } }>(
          '{ viewer { id name kind } }',
          {},
          {
            authorization: `Bearer ${token}`,
            'x-soundedit-discord-user': user,
            'x-soundedit-discord-name': name,
          },
        );
      const ann = (await as(bot, '123456789012345678', 'ann')).data!.viewer;
      const ben = (await as(bot, '223456789012345678', 'ben')).data!.viewer;
      expect([ann.kind, ann.name, ben.name]).toEqual(['discord', 'ann', 'ben']);
      expect(ann.id).not.toBe(ben.id);
      expect((await as(bot, '123456789012345678', 'ann')).data!.viewer.id).toBe(ann.id);
      const refused = await as(api.token, '123456789012345678', 'ann');
      expect(refused.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await as(bot, 'not-an-id', 'x')).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('announces finished edits on the gallery feed', async () => {
      const client = api.wsClient();
      const feed = client.iterate<{ galleryFeed: { id: string; status: string } }>({
        query: 'subscription { galleryFeed { id status } }',
      });
      const first = feed.next();
      await new Promise((r) => setTimeout(r, 200));
      const id = await runEdit({ prompt: 'the sound of rain', settings: { steps: 2 } });
      const got = await first;
      expect(got.value?.data?.galleryFeed).toEqual({ id, status: 'SUCCEEDED' });
      await feed.return?.();
      await client.dispose();
    });

    it('uploads a sound, runs an edit with live progress over graphql-ws, and serves the result', async () => {
      const sound = await api.gql<{ sound: { durationS: number; peaks: number[]; spectrogramUrl: string } }>(
        'query($id: ID!) { sound(id: $id) { durationS sampleRate peaks spectrogramUrl url } }',
        { id: soundId },
      );
      expect(sound.data!.sound.durationS).toBeCloseTo(1, 3);
      expect(sound.data!.sound.peaks).toHaveLength(200);

      const created = await api.gql<{ createEdit: { id: string; status: string; totalSteps: number } }>(
        CREATE,
        {
          input: { soundId, source: { seed: 7 }, settings: { steps: 6 } },
        },
      );
      expect(created.errors).toBeUndefined();
      const { id, status, totalSteps } = created.data!.createEdit;
      expect([status, totalSteps]).toEqual(['QUEUED', 6]);

      const client = api.wsClient();
      const events = await api.collect<Progress>(client, PROGRESS, { id });
      await client.dispose();
      const last = events[events.length - 1]!.editProgress;
      expect(last.status).toBe('SUCCEEDED');
      expect(last.edit!.id).toBe(id);
      const steps = events.filter((e) => e.editProgress.loss !== null).map((e) => e.editProgress.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(steps[steps.length - 1]).toBe(6);
      expect(events.some((e) => e.editProgress.preview?.startsWith('data:image/png;base64,'))).toBe(true);

      const edit = await api.gql<{ edit: Record<string, unknown> & { resultUrl: string; steps: unknown[] } }>(
        `query($id: ID!) { edit(id: $id) { ${EDIT_FIELDS} } }`,
        { id },
      );
      expect(edit.data!.edit).toMatchObject({
        status: 'SUCCEEDED',
        step: 6,
        soundClass: 'rain',
        parameters: { seed: 7, steps: 6 },
      });
      expect(edit.data!.edit.steps).toHaveLength(6);
      const picture = await fetch(edit.data!.edit.resultUrl);
      expect(picture.status).toBe(200);
      expect(picture.headers.get('content-type')).toBe('image/png');
      expect(picture.headers.get('cache-control')).toContain('immutable');
      const bytes = new Uint8Array(await picture.arrayBuffer());
      expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    });

    it('pages through the gallery with cursors, filters it, and orders by likes', async () => {
      const ids = [];
      for (const prompt of ['rain on a roof', 'the sound of rain', 'rain on a roof'])
        ids.push(await runEdit({ prompt, settings: { steps: 2 } }));
      const page = (after?: string) =>
        api.gql<{
          edits: {
            edges: { cursor: string; node: { id: string } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        }>(
          'query($after: String) { edits(first: 2, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
          { after },
          {},
        );
      const seen: string[] = [];
      let cursor: string | undefined;
      for (;;) {
        const p = (await page(cursor)).data!.edits;
        seen.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        cursor = p.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.slice(0, 3)).toEqual([...ids].reverse());

      const filtered = await api.gql<{ edits: { edges: { node: { id: string } }[] } }>(
        '{ edits(filter: { promptContains: "ROOF" }) { edges { node { id } } } }',
        {},
        {},
      );
      expect(filtered.data!.edits.edges.map((e) => e.node.id).sort()).toEqual([ids[0], ids[2]].sort());

      const bob = await api.newToken('bob');
      for (const token of [api.token, bob]) {
        const liked = await api.gql<{ likeEdit: { likeCount: number; likedByViewer: boolean } }>(
          'mutation($id: ID!) { likeEdit(id: $id) { likeCount likedByViewer } }',
          { id: ids[1] },
          { authorization: `Bearer ${token}` },
        );
        expect(liked.data!.likeEdit.likedByViewer).toBe(true);
      }
      // Liking twice counts once.
      await api.gql('mutation($id: ID!) { likeEdit(id: $id) { id } }', { id: ids[1] });
      const top = await api.gql<{ edits: { edges: { node: { id: string; likeCount: number } }[] } }>(
        '{ edits(first: 1, orderBy: MOST_LIKED) { edges { node { id likeCount } } } }',
        {},
        {},
      );
      expect(top.data!.edits.edges[0]!.node).toEqual({ id: ids[1], likeCount: 2 });
      const unliked = await api.gql<{ unlikeEdit: { likeCount: number } }>(
        'mutation($id: ID!) { unlikeEdit(id: $id) { likeCount } }',
        { id: ids[1] },
        { authorization: `Bearer ${bob}` },
      );
      expect(unliked.data!.unlikeEdit.likeCount).toBe(1);
    });

    it("remixes someone else's edit from its result, and keeps the family tree", async () => {
      const parent = await runEdit({ soundId, prompt: 'rain on a roof', settings: { steps: 2 } });
      const bob = await api.newToken('bob-remixer');
      const remix = await api.gql<{ remixEdit: { id: string } }>(
        'mutation($id: ID!) { remixEdit(id: $id, overrides: { settings: { steps: 3 } }) { id } }',
        { id: parent },
        { authorization: `Bearer ${bob}` },
      );
      expect(remix.errors).toBeUndefined();
      const client = api.wsClient(bob);
      await api.collect(client, PROGRESS, { id: remix.data!.remixEdit.id });
      await client.dispose();
      const tree = await api.gql<{
        edit: { status: string; parent: { id: string }; parameters: { prompt: string; steps: number } };
      }>(`query($id: ID!) { edit(id: $id) { status parent { id } parameters { prompt steps } } }`, {
        id: remix.data!.remixEdit.id,
      });
      expect(tree.data!.edit).toEqual({
        status: 'SUCCEEDED',
        parent: { id: parent },
        parameters: { prompt: 'rain on a roof', steps: 3 },
      });
      const family = await api.gql<{
        edit: { remixCount: number; remixes: { edges: { node: { id: string } }[] } };
      }>('query($id: ID!) { edit(id: $id) { remixCount remixes { edges { node { id } } } } }', {
        id: parent,
      });
      expect(family.data!.edit.remixCount).toBe(1);
      expect(family.data!.edit.remixes.edges.map((e) => e.node.id)).toEqual([remix.data!.remixEdit.id]);
      // Only the owner deletes.
      const foreign = await api.gql(
        'mutation($id: ID!) { deleteEdit(id: $id) }',
        { id: parent },
        { authorization: `Bearer ${bob}` },
      );
      expect(foreign.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      const own = await api.gql<{ deleteEdit: string }>('mutation($id: ID!) { deleteEdit(id: $id) }', {
        id: parent,
      });
      expect(own.data!.deleteEdit).toBe(parent);
      expect((await api.gql('query($id: ID!) { edit(id: $id) { id } }', { id: parent })).data).toEqual({
        edit: null,
      });
    });

    it('cancels a queued edit and reports it to subscribers', async () => {
      await api.worker.stop();
      try {
        const created = await api.gql<{ createEdit: { id: string } }>(CREATE, {
          input: { soundId, settings: { steps: 2 } },
        });
        const id = created.data!.createEdit.id;
        const client = api.wsClient();
        const events = api.collect<Progress>(client, PROGRESS, { id });
        await new Promise((r) => setTimeout(r, 200));
        const canceled = await api.gql<{ cancelEdit: { status: string } }>(
          'mutation($id: ID!) { cancelEdit(id: $id) { status } }',
          { id },
        );
        expect(canceled.data!.cancelEdit.status).toBe('CANCELED');
        const seen = (await events).map((e) => e.editProgress.status);
        await client.dispose();
        expect(seen[0]).toBe('QUEUED');
        expect(seen[seen.length - 1]).toBe('CANCELED');
      } finally {
        api.worker.start();
      }
    });
  });

  describe_('bad input gets a clear, typed error, and the server keeps serving', () => {
    const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

    it('refuses malformed GraphQL, wrong types, out-of-range numbers and unknown ids', async () => {
      const parse = await api.gql('{ packs { name ');
      expect([parse.status, code(parse)]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
      const wrongType = await api.gql(CREATE, { input: { soundId, settings: { steps: 'many' } } });
      expect([wrongType.status, code(wrongType)]).toEqual([400, 'BAD_USER_INPUT']);
      for (const settings of [
        { steps: 0 },
        { steps: 1_000_000 },
        { lr: -1 },
        { strength: 11 },
        { lambdaSim: -0.1 },
      ]) {
        const r = await api.gql(CREATE, { input: { soundId, settings } });
        expect(code(r), JSON.stringify(settings)).toBe('BAD_USER_INPUT');
      }
      expect(code(await api.gql(CREATE, { input: { soundId, source: { truncation: 2 } } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(code(await api.gql(CREATE, { input: { soundId, source: { seed: 1, editId: 'x' } } }))).toBe(
        'BAD_USER_INPUT',
      );
      expect(code(await api.gql(CREATE, { input: { soundId, audioLayers: [3, 1] } }))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(CREATE, { input: { soundId, pack: 'nope' } }))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(CREATE, { input: { prompt: '   ' } }))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(CREATE, { input: {} }))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql(CREATE, { input: { soundId: 'no-such-sound' } }))).toBe('NOT_FOUND');
      expect(code(await api.gql('mutation { cancelEdit(id: "nope") { id } }'))).toBe('NOT_FOUND');
      expect(code(await api.gql('{ edits(after: "garbage") { edges { cursor } } }'))).toBe('BAD_USER_INPUT');
      expect(code(await api.gql('{ edits(first: 0) { edges { cursor } } }'))).toBe('BAD_USER_INPUT');
      const deep = await api.gql(
        '{ edits { edges { node { parent { parent { parent { parent { parent { parent { parent { id } } } } } } } } } } }',
      );
      expect(code(deep)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(deep.errors![0]!.message).toMatch(/nests \d+ fields deep; at most 10/);
      const wide = await api.gql(
        'query($n: Int) { edits(first: $n) { edges { node { remixes(first: 100) { edges { node { id remixes(first: 5) { edges { node { id } } } } } } } } } }',
      );
      expect(code(wide)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(wide.errors![0]!.message).toMatch(/could resolve about \d+ fields; at most 20000/);
      expect(
        code(await api.gql('{ viewer { id } }', {}, { authorization: 'Bearer se_not-a-real-token' })),
      ).toBe('UNAUTHENTICATED');
    });

    it('refuses uploads that are not audio, too large or sent as a form, and writes nothing for them', async () => {
      const junk = await api.upload(new TextEncoder().encode('this is not a sound file at all, just text'));
      expect([
        junk.status,
        (junk.body['errors'] as { extensions: { code: string } }[])[0]!.extensions.code,
      ]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      const truncated = await api.upload(tone.subarray(0, 30));
      expect(truncated.status).toBe(415);
      const huge = await api.upload(new Uint8Array(11 * 1024 * 1024));
      expect(huge.status).toBe(413);
      const form = await api.upload(tone, api.token, 'text/plain');
      expect(form.status).toBe(415);
      const mine = await api.gql<{ viewer: { edits: { edges: unknown[] } } }>(
        '{ viewer { id edits(first: 100) { edges { cursor } } } }',
      );
      expect(mine.errors).toBeUndefined();
      expect((await api.gql<{ packs: unknown[] }>('{ packs { name } }')).data!.packs).toHaveLength(1);
    });

    it('rate-limits each identity, and caps its running edits', async () => {
      const limited = await ApiHarness.start({ burst: 2, perMinute: 1, maxActiveEdits: 1 }, kind);
      try {
        const first = await limited.upload(tone);
        expect(first.status).toBe(201);
        await limited.worker.stop();
        const id = first.body['id'] as string;
        expect(
          code(await limited.gql(CREATE, { input: { soundId: id, settings: { steps: 2 } } })),
        ).toBeUndefined();
        const capped = await limited.gql(CREATE, { input: { soundId: id, settings: { steps: 2 } } });
        expect(code(capped)).toBe('RATE_LIMITED');
        const r = await limited.upload(tone);
        expect(r.status).toBe(429);
      } finally {
        await limited.stop();
      }
    });
  });
});
