import { spawnSync } from 'node:child_process';
import type { Client } from 'discord.js';
import { testToneWav } from '@soundedit/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot } from '../src/bot.ts';
import { EDIT_MESSAGE_COMMAND } from '../src/commands/edit-message.ts';
import type { BotConfig } from '../src/config.ts';
import { registerCommands } from '../src/register.ts';
import { startApi } from './api-process.ts';
import { describeCall, FakeDiscord, type RestCall } from './fake-discord.ts';

// The real discord.js client against a loopback Discord, in front of the real API and worker.
const BOT_TOKEN = 'MTAx.fake.bot-token';
const API_TOKEN = `se_${'t'.repeat(40)}`;
const PROGRESS_EVERY_MS = 400;

let discord: FakeDiscord;
let api: { url: string; stop(): Promise<void> };
let bot: Client;
let config: BotConfig;

beforeAll(async () => {
  discord = new FakeDiscord(BOT_TOKEN);
  await discord.start();
  api = await startApi(API_TOKEN);
  config = {
    discordToken: BOT_TOKEN,
    applicationId: discord.applicationId,
    guildId: discord.guildId,
    discordApiUrl: discord.restUrl,
    apiUrl: api.url,
    apiToken: API_TOKEN,
    webUrl: 'http://gallery.example',
    cooldownS: 0,
    jobsPerUser: 1,
    progressEveryMs: PROGRESS_EVERY_MS,
    interactionTtlMs: 15 * 60_000,
  };
  bot = await startBot(config);
}, 120_000);

afterAll(async () => {
  await bot?.destroy();
  await api?.stop();
  await discord?.stop();
});

const ended = (token: string) => (calls: RestCall[]) =>
  calls.some(
    (c) =>
      c.path.includes(token) &&
      c.method === 'PATCH' &&
      Array.isArray(c.body?.['components']) &&
      (c.body['components'] as unknown[]).length > 0,
  ) ||
  calls.some(
    (c) => c.path.includes(token) && /failed|canceled|could not/.test(String(c.body?.['content'] ?? '')),
  );

function soundeditCommand(
  user = discord.user(),
  extra: { name: string; type: number; value: unknown }[] = [],
  attachments?: Record<string, unknown>[],
) {
  const audio = discord.attachment('rain.wav', Buffer.from(testToneWav()), 'audio/wav');
  const token = discord.slashCommand(
    user,
    'soundedit',
    [{ name: 'audio', type: 11, value: audio.id }, ...extra],
    attachments ?? [audio],
  );
  return { token, user };
}

function ephemeralReply(token: string): string | undefined {
  const c = discord.callsFor(token).find((x) => x.path.endsWith('/callback'));
  if (c?.body?.['type'] !== 4) return undefined;
  const data = c.body['data'] as { content: string; flags: number };
  return data.flags & 64 ? data.content : undefined;
}

describe('the Discord bot', () => {
  it('identifies on the gateway and registers its commands with the packs as choices', async () => {
    await discord.ready();
    expect(discord.identified?.['token']).toBe(BOT_TOKEN);
    const { names } = await registerCommands(config);
    expect(names).toEqual(['soundedit', EDIT_MESSAGE_COMMAND]);
    const put = discord.calls.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe(`/applications/${discord.applicationId}/guilds/${discord.guildId}/commands`);
    const body = put.body as unknown as {
      name: string;
      type?: number;
      options?: { name: string; choices?: { value: string }[] }[];
    }[];
    const pack = body[0]!.options!.find((o) => o.name === 'pack')!;
    expect(pack.choices!.map((c) => c.value).sort()).toEqual(['tiny-faces', 'tiny-scenes']);
    expect(body[1]).toMatchObject({ name: EDIT_MESSAGE_COMMAND, type: 3 });
  });

  it('defers, edits the reply with progress at a gentle rate, and ends with pictures, a link and buttons', async () => {
    const { token } = soundeditCommand(discord.user(), [{ name: 'pack', type: 3, value: 'tiny-scenes' }]);
    await discord.waitFor(ended(token), 90_000);
    const calls = discord.callsFor(token);
    const lines = calls.map(describeCall);
    // The exact shape: one deferral, then only edits of the original reply.
    expect(lines[0]).toBe(`POST /interactions/${calls[0]!.path.split('/')[2]}/TOKEN/callback type=5`);
    expect(
      lines
        .slice(1)
        .every((l) => l.startsWith(`PATCH /webhooks/${discord.applicationId}/TOKEN/messages/@original`)),
    ).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(3);
    const progress = calls.slice(1, -1);
    expect(progress.some((c) => /step \d+\/300/.test(String(c.body?.['content'])))).toBe(true);
    expect(progress.some((c) => c.files.some((f) => f.name === 'preview.png'))).toBe(true);
    for (let k = 2; k < calls.length - 1; k++)
      expect(calls[k]!.at - calls[k - 1]!.at).toBeGreaterThanOrEqual(PROGRESS_EVERY_MS - 20);
    const last = calls.at(-1)!;
    expect(last.files.map((f) => f.name)).toEqual(['before-after.png', 'trajectory.gif']);
    expect(String(last.body!['content'])).toMatch(
      /Done in .* s.*\n.*Gallery: http:\/\/gallery\.example\/e\/[0-9a-f-]{36}/,
    );
    const buttons = (last.body!['components'] as { components: { custom_id: string; label: string }[] }[])[0]!
      .components;
    expect(buttons.map((b) => b.label)).toEqual(['Remix', 'New source', 'Delete']);
  }, 120_000);

  it('answers every bad attachment privately at once, before deferring', async () => {
    const user = discord.user();
    const cases: [Record<string, unknown>, RegExp][] = [
      [discord.attachment('notes.txt', Buffer.from('hello'), 'text/plain'), /not a sound/],
      [
        { ...discord.attachment('huge.wav', Buffer.from('x'), 'audio/wav'), size: 11 * 1024 * 1024 },
        /at most 10.0 MB/,
      ],
      [
        discord.attachment('voice-message.ogg', Buffer.from(testToneWav()), 'audio/ogg', {
          duration_secs: 45,
          waveform: 'AAAA',
        }),
        /lasts 45 s/,
      ],
      [discord.attachment('empty.wav', Buffer.alloc(0), 'audio/wav'), /empty/],
    ];
    for (const [attachment, why] of cases) {
      const token = discord.slashCommand(
        user,
        'soundedit',
        [{ name: 'audio', type: 11, value: attachment['id'] }],
        [attachment],
      );
      await discord.waitFor(() => discord.callsFor(token).length > 0);
      expect(ephemeralReply(token)).toMatch(why);
    }
    const audio = discord.attachment('ok.wav', Buffer.from(testToneWav()), 'audio/wav');
    const image = discord.attachment('me.gif', Buffer.from('GIF89a'), 'image/gif');
    const token = discord.slashCommand(
      user,
      'soundedit',
      [
        { name: 'audio', type: 11, value: audio.id },
        { name: 'image', type: 11, value: image.id },
      ],
      [audio, image],
    );
    await discord.waitFor(() => discord.callsFor(token).length > 0);
    expect(ephemeralReply(token)).toMatch(/not a PNG or JPEG/);
    // A file that claims to be audio but is not: the API's decoder says so, privately, after the deferral.
    const fake = discord.attachment('fake.wav', Buffer.from('RIFF....not really'), 'audio/wav');
    const late = discord.slashCommand(
      user,
      'soundedit',
      [{ name: 'audio', type: 11, value: fake.id }],
      [fake],
    );
    await discord.waitFor(() =>
      discord.callsFor(late).some((c) => c.method === 'POST' && c.path.endsWith(`/${late}`)),
    );
    const lines = discord.callsFor(late).map(describeCall);
    expect(lines).toEqual([
      expect.stringMatching(/callback type=5$/),
      expect.stringMatching(/^DELETE .*@original$/),
      expect.stringMatching(/^POST \/webhooks\/\d+\/TOKEN$/),
    ]);
    const followUp = discord.callsFor(late).at(-1)!.body!;
    expect(followUp['flags']).toBe(64);
    expect(String(followUp['content'])).toMatch(/That did not work/);
  }, 120_000);

  it('lets one user run one edit at a time', async () => {
    const user = discord.user();
    const first = soundeditCommand(user);
    await discord.waitFor(() => discord.callsFor(first.token).length > 0);
    const second = soundeditCommand(user);
    await discord.waitFor(() => discord.callsFor(second.token).length > 0);
    expect(ephemeralReply(second.token)).toMatch(/already have an edit running/);
    await discord.waitFor(ended(first.token), 90_000);
  }, 120_000);

  it('remixes through a modal, re-rolls the source, and deletes for the requester only', async () => {
    const user = discord.user();
    const { token } = soundeditCommand(user);
    await discord.waitFor(ended(token), 90_000);
    const messageId = discord.messageIdOf(`orig_${token}`)!;
    const last = discord.callsFor(token).at(-1)!;
    const ids = (last.body!['components'] as { components: { custom_id: string }[] }[])[0]!.components.map(
      (b) => b.custom_id,
    );
    const [remixId, rerollId, deleteId] = ids as [string, string, string];

    const press = discord.button(user, remixId, messageId);
    await discord.waitFor(() => discord.callsFor(press).length > 0);
    const modal = discord.callsFor(press)[0]!.body!;
    expect(modal['type']).toBe(9);
    const modalId = (modal['data'] as { custom_id: string }).custom_id;
    const bad = discord.modalSubmit(user, modalId, { prompt: 'heavy rain', strength: 'lots' });
    await discord.waitFor(() => discord.callsFor(bad).length > 0);
    expect(ephemeralReply(bad)).toMatch(/Strength must be a number/);
    const submit = discord.modalSubmit(user, modalId, { prompt: 'heavy rain', strength: '1.5' });
    await discord.waitFor(ended(submit), 90_000);
    expect(String(discord.callsFor(submit).at(-1)!.body!['content'])).toMatch(/Done/);
    expect(String(discord.callsFor(submit)[1]!.body!['content'])).toMatch(/Remixing with “heavy rain”/);

    const reroll = discord.button(user, rerollId, messageId);
    await discord.waitFor(ended(reroll), 90_000);
    expect(discord.callsFor(reroll)[0]!.body!['type']).toBe(5);

    const stranger = discord.button(discord.user(), deleteId, messageId);
    await discord.waitFor(() => discord.callsFor(stranger).length > 0);
    expect(ephemeralReply(stranger)).toMatch(/Only the person who asked/);
    const owner = discord.button(user, deleteId, messageId);
    await discord.waitFor(() => discord.callsFor(owner).length > 0);
    const update = discord.callsFor(owner)[0]!.body!;
    expect(update['type']).toBe(7);
    expect((update['data'] as { components: unknown[] }).components).toEqual([]);
  }, 240_000);

  it("edits a message's picture with its sound, or asks for text when it has none", async () => {
    const user = discord.user();
    // A picture of the generator's own, as a user would post one.
    const preview = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sourcePreview(seed: 3) }' }),
    });
    const dataUrl = ((await preview.json()) as { data: { sourcePreview: string } }).data.sourcePreview;
    const png = Buffer.from(dataUrl.split(',')[1]!, 'base64');
    const picture = discord.attachment('me.png', png, 'image/png');
    const sound = discord.attachment('laugh.wav', Buffer.from(testToneWav()), 'audio/wav');
    const both = discord.messageCommand(user, EDIT_MESSAGE_COMMAND, [picture, sound]);
    await discord.waitFor(ended(both), 120_000);
    expect(String(discord.callsFor(both).at(-1)!.body!['content'])).toMatch(/Done/);

    const pictureOnly = discord.messageCommand(user, EDIT_MESSAGE_COMMAND, [
      discord.attachment('me.png', png, 'image/png'),
    ]);
    await discord.waitFor(() => discord.callsFor(pictureOnly).length > 0);
    const modal = discord.callsFor(pictureOnly)[0]!.body!;
    expect(modal['type']).toBe(9);
    const text = discord.modalSubmit(user, (modal['data'] as { custom_id: string }).custom_id, {
      prompt: 'laughing',
    });
    await discord.waitFor(ended(text), 120_000);
    expect(String(discord.callsFor(text)[1]!.body!['content'])).toMatch(/Editing with text \+ “laughing”/);

    const none = discord.messageCommand(user, EDIT_MESSAGE_COMMAND, []);
    await discord.waitFor(() => discord.callsFor(none).length > 0);
    expect(ephemeralReply(none)).toMatch(/no picture attached/);
  }, 300_000);
});

describe('past the interaction token lifetime', () => {
  let shortBot: Client;
  beforeAll(async () => {
    // A second bot whose clock for tokens is short, against a Discord whose tokens die as fast.
    discord.tokenTtlMs = 2_000;
    shortBot = await startBot({ ...config, interactionTtlMs: 2_000 });
  });
  afterAll(async () => {
    await shortBot?.destroy();
    discord.tokenTtlMs = 15 * 60_000;
  });

  it('moves the progress to a channel message before the token expires, and finishes there', async () => {
    const { token } = soundeditCommand(discord.user());
    const channel = `/channels/${discord.channelId}/messages`;
    await discord.waitFor(
      (calls) =>
        calls.some(
          (c) =>
            c.path.startsWith(channel) &&
            c.method === 'PATCH' &&
            Array.isArray(c.body?.['components']) &&
            (c.body['components'] as unknown[]).length > 0,
        ),
      120_000,
    );
    const mine = discord.callsFor(token);
    expect(mine[0]!.body!['type']).toBe(5);
    expect(String(mine.at(-1)!.body!['content'])).toMatch(/continues in a message below/);
    // Nothing was sent with the token after it died.
    const expiry = mine[0]!.at + 2_000;
    expect(mine.every((c) => c.at < expiry)).toBe(true);
    const moved = discord.calls.filter((c) => c.path.startsWith(channel) && c.at >= mine.at(-1)!.at);
    expect(moved[0]!.method).toBe('POST');
    expect(String(moved[0]!.body!['content'])).toMatch(/^<@\d+> /);
    expect(moved.at(-1)!.files.map((f) => f.name)).toEqual(['before-after.png', 'trajectory.gif']);
  }, 150_000);
});

describe('a cooldown between starts', () => {
  let slowBot: Client;
  beforeAll(async () => {
    slowBot = await startBot({ ...config, cooldownS: 60 });
  });
  afterAll(async () => {
    await slowBot?.destroy();
  });

  it('refuses a second edit within the cooldown, privately, saying how long to wait', async () => {
    const user = discord.user();
    const first = soundeditCommand(user);
    await discord.waitFor(ended(first.token), 90_000);
    const second = soundeditCommand(user);
    await discord.waitFor(() => discord.callsFor(second.token).length > 0);
    expect(ephemeralReply(second.token)).toMatch(/Slow down: you can start another edit in \d+ s/);
  }, 120_000);
});

describe('registration and start-up', () => {
  it('registers globally without a server id', async () => {
    await registerCommands({ ...config, guildId: undefined });
    const put = discord.calls.filter((c) => c.method === 'PUT').at(-1)!;
    expect(put.path).toBe(`/applications/${discord.applicationId}/commands`);
  });

  it('refuses to start with an incomplete environment, naming what is missing', async () => {
    const run = spawnSync(
      process.execPath,
      ['--conditions=@soundedit/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: new URL('..', import.meta.url).pathname,
        env: { PATH: process.env['PATH'] ?? '', SOUNDEDIT_API_URL: 'not a url' },
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(2);
    for (const name of [
      'DISCORD_TOKEN',
      'DISCORD_APPLICATION_ID',
      'SOUNDEDIT_API_TOKEN',
      'SOUNDEDIT_API_URL',
    ])
      expect(run.stderr).toContain(name);
  });
});
