/** Everything the bot is told by its environment, checked at start with every problem named at once. */
export interface BotConfig {
  discordToken: string;
  applicationId: string;
  /** Where `npm run bot:register` puts the commands: one server (instant) or everywhere (global). */
  guildId: string | undefined;
  /** Discord's REST base; only changed to point the bot at a stand-in (the tests' loopback Discord). */
  discordApiUrl: string | undefined;
  apiUrl: string;
  apiToken: string;
  /** The web site, for "open in the gallery" links. */
  webUrl: string | undefined;
  /** Seconds a user waits between two edits. */
  cooldownS: number;
  /** Edits one user may have running at once. */
  jobsPerUser: number;
  /** Least time between two progress edits of one message (Discord rate-limits message edits). */
  progressEveryMs: number;
  /** How long an interaction token lives; after this, progress moves to a channel message. */
  interactionTtlMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`the bot's configuration is incomplete:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const SNOWFLAKE = /^\d{15,25}$/;

/** Reads and checks the bot's variables; throws a ConfigError naming every problem. */
export function readConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const problems: string[] = [];
  const need = (name: string, hint: string): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is not set: ${hint}`);
    return v ?? '';
  };
  const url = (name: string, value: string | undefined): string | undefined => {
    if (!value) return undefined;
    try {
      const u = new URL(value);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      return value.replace(/\/$/, '');
    } catch {
      problems.push(`${name} must be an http(s) URL, got '${value}'`);
      return undefined;
    }
  };
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name} must be a number in [${min}, ${max}], got '${raw}'`);
      return fallback;
    }
    return n;
  };
  const discordToken = need('DISCORD_TOKEN', "the bot's token (Discord developer portal, Bot tab)");
  const applicationId = need('DISCORD_APPLICATION_ID', "the application's id (General Information)");
  if (applicationId && !SNOWFLAKE.test(applicationId))
    problems.push(`DISCORD_APPLICATION_ID must be a Discord id (digits), got '${applicationId}'`);
  const guildId = env['DISCORD_GUILD_ID']?.trim() || undefined;
  if (guildId && !SNOWFLAKE.test(guildId))
    problems.push(`DISCORD_GUILD_ID must be a Discord id, got '${guildId}'`);
  const apiUrl = url(
    'SOUNDEDIT_API_URL',
    need('SOUNDEDIT_API_URL', 'the soundedit API, e.g. http://127.0.0.1:4000'),
  );
  const apiToken = need('SOUNDEDIT_API_TOKEN', 'an API token made with actsForDiscord (createApiToken)');
  if (apiToken && !apiToken.startsWith('se_'))
    problems.push('SOUNDEDIT_API_TOKEN must be a soundedit API token (se_...)');
  const config: BotConfig = {
    discordToken,
    applicationId,
    guildId,
    discordApiUrl: url('DISCORD_API_URL', env['DISCORD_API_URL']?.trim()),
    apiUrl: apiUrl ?? '',
    apiToken,
    webUrl: url('SOUNDEDIT_WEB_URL', env['SOUNDEDIT_WEB_URL']?.trim()),
    cooldownS: number('BOT_COOLDOWN_S', 30, 0, 86_400),
    jobsPerUser: number('BOT_JOBS_PER_USER', 1, 1, 100),
    progressEveryMs: number('BOT_PROGRESS_EVERY_MS', 2_500, 100, 600_000),
    interactionTtlMs: number('BOT_INTERACTION_TTL_MS', 15 * 60_000, 1_000, 15 * 60_000),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
