/**
 * `npm run bot:register`: registers the bot's commands with Discord, in one server when
 * DISCORD_GUILD_ID is set (at once) or globally. The pack choices come from the API.
 */
import { PacksDocument, SoundeditClient } from '@soundedit/graphql';
import { REST, Routes } from 'discord.js';
import { COMMANDS } from './commands/index.ts';
import { ConfigError, readConfig, type BotConfig } from './config.ts';

export async function registerCommands(config: BotConfig): Promise<{ route: string; names: string[] }> {
  const api = new SoundeditClient({ url: config.apiUrl, token: config.apiToken });
  const { packs } = await api.request(PacksDocument, {});
  const body = [...COMMANDS.values()].map((c) => c.definition(packs.map((p) => p.name)));
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(
    config.discordToken,
  );
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  await rest.put(route, { body });
  return { route, names: body.map((c) => c.name) };
}

if (process.argv[1]?.endsWith('register.ts')) {
  try {
    const config = readConfig();
    const { route, names } = await registerCommands(config);
    console.log(
      `registered ${names.join(', ')} (${config.guildId ? `server ${config.guildId}` : 'global'}: ${route})`,
    );
  } catch (e) {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(e instanceof ConfigError ? 2 : 1);
  }
}
