/**
 * `npm run bench:api [-- --edits 100000 --concurrency 16 --seconds 10]`: the API (apps/api, one
 * process, WORKERS=0 so no edit runs) on the loopback PostgreSQL with `--edits` finished edits seeded
 * into a fresh database. A load generator in this process keeps `--concurrency` requests in flight
 * for `--seconds` per case and prints throughput and p50/p99 latency for: the gallery's first page
 * (newest), a page deep in it (cursor), most liked, a class filter, a prompt search, and createEdit
 * (a text-only edit, stored and acknowledged). Both processes share this machine's cores.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '@soundedit/models';
import { createAccount, createApiToken, tables, type EditParams } from '@soundedit/service';
import { openTestDatabase, postgresReachable } from '@soundedit/service/testing';
import { sql } from 'drizzle-orm';
import { SCENES } from '../packs/world-adapters.ts';
import { percentile } from './measure.ts';

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '100000' },
    concurrency: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
    /** Write a CPU profile of the API process into this folder (node --cpu-prof). */
    profile: { type: 'string' },
  },
});
const EDITS = Number(values.edits);
const CONCURRENCY = Number(values.concurrency);
const SECONDS = Number(values.seconds);

if (!(await postgresReachable())) {
  console.log('bench:api — PostgreSQL on 127.0.0.1:5432 is not reachable; start it and rerun');
  process.exit(1);
}

// The scenes pack's classes and their edit prompts, as the seeded gallery's sounds and texts.
const CLASSES = SCENES.classes.map((c) => c.name);
const WORDS = SCENES.classes.map((c) => c.editPrompt);

const t = await openTestDatabase('postgres');
try {
  const author = await createAccount(t.db, 'client', 'bench');
  const rng = new Rng(1);
  const t0 = performance.now();
  const start = Date.now() - EDITS * 1000;
  for (let done = 0; done < EDITS; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, EDITS - done) }, (_, i) => {
      const k = done + i;
      const c = Math.floor(rng.next() * CLASSES.length);
      const params: EditParams = { source: { kind: 'seed', seed: k }, text: WORDS[c]!, settings: {} };
      return {
        id: randomUUID(),
        authorId: author.id,
        pack: 'tiny-scenes',
        status: 'SUCCEEDED' as const,
        params,
        prompt: WORDS[c]!,
        soundClass: CLASSES[c]!,
        step: 300,
        totalSteps: 300,
        likeCount: Math.floor(rng.next() ** 4 * 200),
        resultKey: `${randomBytes(32).toString('hex')}.png`,
        createdAt: new Date(start + k * 1000),
        finishedAt: new Date(start + k * 1000 + 5000),
      };
    });
    await t.db.insert(tables.edits).values(rows);
  }
  // Fresh planner statistics, as a database that has lived a while has them.
  await t.db.execute(sql`analyze`);
  console.log(`bench:api — seeded ${EDITS} edits in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const tokens = await Promise.all(
    Array.from(
      { length: CONCURRENCY },
      async (_, i) => (await createApiToken(t.db, author.id, `bench-${i}`)).secret,
    ),
  );

  const server = spawn(
    process.execPath,
    [
      '--conditions=@soundedit/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('../../apps/api/src/main.ts', import.meta.url)),
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: t.url!,
        WORKERS: '0',
        PORT: '0',
        NODE_ENV: 'production',
        LIMIT_PER_MINUTE: '1000000',
        LIMIT_BURST: '1000000',
        LIMIT_ACTIVE_EDITS: '100000000',
        DATA_DIR: `/tmp/soundedit-bench-api-${process.pid}`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    server.stdout!.on('data', (b: Buffer) => {
      log += b.toString();
      const m = /soundedit API on (\S+)/.exec(log);
      if (m) resolve(m[1]!);
    });
    server.on('exit', (code) => reject(new Error(`the API exited with ${code}: ${log}`)));
  });

  const post = async (token: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { errors?: { message: string }[] };
    if (!res.ok || body.errors) throw new Error(`${res.status} ${JSON.stringify(body.errors)}`);
  };

  const deepCursor = Buffer.from(
    JSON.stringify([new Date(start + Math.floor(EDITS / 2) * 1000).toISOString(), 'z']),
  ).toString('base64url');
  const PAGE =
    'edges { cursor node { id parameters { prompt } likeCount resultUrl createdAt } } pageInfo { hasNextPage endCursor }';
  const cases: [string, string, Record<string, unknown>][] = [
    ['gallery newest, first page', `{ edits(first: 24) { ${PAGE} } }`, {}],
    [
      'gallery newest, page at the middle',
      `query($a: String) { edits(first: 24, after: $a) { ${PAGE} } }`,
      { a: deepCursor },
    ],
    ['gallery most liked', `{ edits(first: 24, orderBy: MOST_LIKED) { ${PAGE} } }`, {}],
    ['gallery filtered by class', `{ edits(first: 24, filter: { soundClass: "rain" }) { ${PAGE} } }`, {}],
    [
      'gallery prompt search',
      `{ edits(first: 24, filter: { promptContains: "explosion" }) { ${PAGE} } }`,
      {},
    ],
    [
      'createEdit (text only)',
      'mutation($i: CreateEditInput!) { createEdit(input: $i) { id status } }',
      { i: { pack: 'tiny-scenes', prompt: 'a raging fire', source: { seed: 3 } } },
    ],
  ];

  try {
    console.log(
      `bench:api — ${CONCURRENCY} requests in flight, ${SECONDS} s per case, API and load on this machine`,
    );
    console.log('| case | requests/s | p50 ms | p99 ms |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, query, variables] of cases) {
      for (let w = 0; w < 20; w++) await post(tokens[0]!, query, variables);
      const latencies: number[] = [];
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(
        tokens.map(async (token) => {
          while (performance.now() < until) {
            const s = performance.now();
            await post(token, query, variables);
            latencies.push(performance.now() - s);
          }
        }),
      );
      console.log(
        `| ${name} | ${(latencies.length / SECONDS).toFixed(0)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} |`,
      );
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
  }
} finally {
  await t.dispose();
}
