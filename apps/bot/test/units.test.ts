import { describe, expect, it } from 'vitest';
import { soundProblem, imageProblem } from '../src/attachments.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { UserLimits } from '../src/user-limits.ts';

const good = {
  DISCORD_TOKEN: 'abc.def.ghi',
  DISCORD_APPLICATION_ID: '123456789012345678',
  SOUNDEDIT_API_URL: 'http://127.0.0.1:4000/',
  SOUNDEDIT_API_TOKEN: `se_${'x'.repeat(40)}`,
};

describe('the configuration', () => {
  it('reads a complete environment with defaults', () => {
    const c = readConfig(good);
    expect(c).toMatchObject({
      apiUrl: 'http://127.0.0.1:4000',
      cooldownS: 30,
      jobsPerUser: 1,
      interactionTtlMs: 900_000,
    });
  });

  it('names every problem at once', () => {
    try {
      readConfig({ SOUNDEDIT_API_URL: 'ftp://x', BOT_COOLDOWN_S: '-1', DISCORD_GUILD_ID: 'general' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of [
        'DISCORD_TOKEN',
        'DISCORD_APPLICATION_ID',
        'SOUNDEDIT_API_TOKEN',
        'SOUNDEDIT_API_URL',
        'BOT_COOLDOWN_S',
        'DISCORD_GUILD_ID',
      ])
        expect(problems).toContain(name);
    }
  });
});

describe('attachment checks', () => {
  const a = (over: Partial<Parameters<typeof soundProblem>[0]>) => ({
    name: 'clip.ogg',
    size: 1000,
    url: 'http://x/clip.ogg',
    contentType: 'audio/ogg',
    duration: null,
    ...over,
  });
  it('accept sounds by type or, without one, by name, and refuse the rest with a reason', () => {
    expect(soundProblem(a({}))).toBeNull();
    expect(soundProblem(a({ contentType: null, name: 'x.flac' }))).toBeNull();
    expect(soundProblem(a({ contentType: 'video/webm', name: 'voice.webm' }))).toBeNull();
    expect(soundProblem(a({ contentType: 'text/plain', name: 'notes.txt' }))).toMatch(/not a sound/);
    expect(soundProblem(a({ size: 11 * 1024 * 1024 }))).toMatch(/at most 10.0 MB/);
    expect(soundProblem(a({ size: 0 }))).toMatch(/empty/);
    expect(soundProblem(a({ duration: 45 }))).toMatch(/lasts 45 s/);
    expect(imageProblem(a({ name: 'me.png', contentType: 'image/png' }))).toBeNull();
    expect(imageProblem(a({ name: 'me.gif', contentType: 'image/gif' }))).toMatch(/not a PNG or JPEG/);
  });
});

describe('UserLimits', () => {
  it('allows one running job per user and a cooldown between starts', () => {
    let now = 0;
    const limits = new UserLimits(30_000, 1, () => now);
    expect(limits.tryStart('a')).toBeNull();
    expect(limits.tryStart('a')).toMatch(/already have an edit running/);
    expect(limits.tryStart('b')).toBeNull();
    limits.finish('a');
    now = 10_000;
    expect(limits.tryStart('a')).toMatch(/in 20 s/);
    now = 30_000;
    expect(limits.tryStart('a')).toBeNull();
  });
});
