import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testToneWav, writeTinyPack } from '@soundedit/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'soundedit-restart-'));
  await writeTinyPack(join(dir, 'packs'));
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** The embedded server as users run it: its own process, PGlite and blobs in DATA_DIR. */
async function startServer(): Promise<{ url: string; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--conditions=@soundedit/source', '--import', 'tsx', MAIN], {
    env: { ...process.env, DATA_DIR: join(dir, 'data'), PORT: '0', SOUNDEDIT_MODELS: join(dir, 'packs') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /soundedit API on (\S+)\/graphql/.exec(log);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited with ${code}:\n${log}`)));
  });
  return { url, child, exited };
}

it('stops cleanly on SIGTERM and, restarted, finishes the running and the queued edits', async () => {
  let server = await startServer();
  const session = await fetch(`${server.url}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'restarter' }),
  });
  const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  const gql = async <T>(url: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query, variables }),
    });
    return ((await res.json()) as { data: T }).data;
  };
  const tone = testToneWav();
  const up = await fetch(`${server.url}/v1/sounds`, {
    method: 'POST',
    headers: { 'content-type': 'audio/wav', cookie },
    body: Buffer.from(tone),
  });
  const soundId = ((await up.json()) as { id: string }).id;
  const create = (steps: number) =>
    gql<{ createEdit: { id: string } }>(
      server.url,
      'mutation($i: CreateEditInput!) { createEdit(input: $i) { id } }',
      { i: { pack: 'test-rain', soundId, settings: { steps } } },
    ).then((d) => d.createEdit.id);
  const long = await create(1000);
  const queued = await create(3);
  const status = (url: string, id: string) =>
    gql<{ edit: { status: string; attempts: number } }>(
      url,
      'query($id: ID!) { edit(id: $id) { status attempts } }',
      {
        id,
      },
    ).then((d) => d.edit);
  for (let i = 0; (await status(server.url, long)).status !== 'RUNNING'; i++) {
    expect(i).toBeLessThan(600);
    await new Promise((r) => setTimeout(r, 100));
  }
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);

  server = await startServer();
  for (const id of [long, queued]) {
    for (let i = 0; ; i++) {
      const s = await status(server.url, id);
      if (s.status === 'SUCCEEDED') break;
      expect(['QUEUED', 'RUNNING'], `${id} is ${s.status}`).toContain(s.status);
      expect(i).toBeLessThan(1200);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // A stop hands the edit back without counting an attempt.
  expect(await status(server.url, long)).toEqual({ status: 'SUCCEEDED', attempts: 1 });
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}, 240_000);
