import { testToneWav } from '@soundedit/core/testing';
import {
  ApiError,
  CancelEditDocument,
  CreateEditDocument,
  EditPageDocument,
  EditProgressDocument,
  GalleryDocument,
  LikeEditDocument,
  PacksDocument,
  SourcePreviewDocument,
  SoundeditClient,
} from '@soundedit/graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiHarness } from './api-harness.ts';

// The typed client the web site and the bot share, against the real API on loopback.
let api: ApiHarness;
let client: SoundeditClient;
beforeAll(async () => {
  api = await ApiHarness.start();
  client = new SoundeditClient({ url: api.server.url, token: api.token, webSocketImpl: WebSocket });
});
afterAll(async () => {
  await client?.dispose();
  await api?.stop();
});

describe('SoundeditClient', () => {
  it('uploads a sound, creates an edit, follows its progress to the end and finds it in the gallery', async () => {
    const { packs } = await client.request(PacksDocument, {});
    expect(packs[0]!.styleLayers).toBeGreaterThan(0);
    const sound = await client.uploadSound(testToneWav(), 'audio/wav');
    expect(sound).toMatchObject({ format: 'wav', channels: 1 });
    const { createEdit } = await client.request(CreateEditDocument, {
      input: { soundId: sound.id, source: { seed: 3 }, settings: { steps: 4 } },
    });
    expect(createEdit.status).toBe('QUEUED');
    const statuses: string[] = [];
    let last;
    for await (const { editProgress } of client.subscribe(EditProgressDocument, { id: createEdit.id })) {
      statuses.push(editProgress.status);
      last = editProgress;
    }
    expect(statuses).toContain('RUNNING');
    expect(last!.status).toBe('SUCCEEDED');
    expect(last!.edit!.resultUrl).toMatch(/\/blobs\/[0-9a-f]{64}\.png$/);
    const png = await fetch(client.href(last!.edit!.resultUrl!));
    expect(png.headers.get('content-type')).toBe('image/png');

    const { edit } = await client.request(EditPageDocument, { id: createEdit.id });
    expect(edit!.metrics!.layerWeights).toHaveLength(packs[0]!.styleLayers);
    const liked = await client.request(LikeEditDocument, { id: createEdit.id });
    expect(liked.likeEdit).toMatchObject({ likeCount: 1, likedByViewer: true });
    const { edits } = await client.request(GalleryDocument, { first: 5 });
    expect(edits.edges.map((e) => e.node.id)).toContain(createEdit.id);
  }, 120_000);

  it("scales an edit by its sound's loudness when asked, and says by how much", async () => {
    const sound = await client.uploadSound(testToneWav(), 'audio/wav');
    const { createEdit } = await client.request(CreateEditDocument, {
      input: { soundId: sound.id, source: { seed: 4 }, settings: { steps: 3, loudnessGain: true } },
    });
    for await (const { editProgress } of client.subscribe(EditProgressDocument, { id: createEdit.id }))
      if (editProgress.edit) break;
    const { edit } = await client.request(EditPageDocument, { id: createEdit.id });
    expect(edit!.parameters.loudnessGain).toBe(true);
    // testToneWav is a 0.3-amplitude sine: -13.5 dBFS, 6.5 dB over the reference.
    expect(edit!.metrics!.soundLevelDb).toBeCloseTo(-13.5, 0);
    expect(edit!.metrics!.loudnessGain).toBeCloseTo(2 ** (6.5 / 12), 1);
  }, 60_000);

  it("previews a seed's source picture, the same for the same seed", async () => {
    const preview = async (seed: number) =>
      (await client.request(SourcePreviewDocument, { seed })).sourcePreview;
    const a = await preview(7);
    expect(a).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(a.split(',')[1]!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(await preview(7)).toBe(a);
    expect(await preview(8)).not.toBe(a);
    await expect(client.request(SourcePreviewDocument, { seed: 1, truncation: 2 })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'truncation',
    });
    await expect(client.request(SourcePreviewDocument, { seed: -1 })).rejects.toMatchObject({
      field: 'seed',
    });
    await expect(client.request(SourcePreviewDocument, { pack: 'nope', seed: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('turns every failure into an ApiError with a code', async () => {
    const bad = client.request(CreateEditDocument, { input: { settings: { steps: 0 } } });
    await expect(bad).rejects.toBeInstanceOf(ApiError);
    await expect(bad).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(
      client.request(CancelEditDocument, { id: '00000000-0000-0000-0000-000000000000' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(client.uploadSound(new TextEncoder().encode('not a sound'))).rejects.toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    const anonymous = new SoundeditClient({ url: api.server.url });
    await expect(anonymous.uploadSound(testToneWav())).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const nowhere = new SoundeditClient({ url: 'http://127.0.0.1:9' });
    await expect(nowhere.request(PacksDocument, {})).rejects.toMatchObject({ code: 'UNREACHABLE' });
  });
});
