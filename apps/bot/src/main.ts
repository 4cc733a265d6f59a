/**
 * `npm run start -w @soundedit/bot`: the Discord bot. Environment (checked at start):
 *   DISCORD_TOKEN DISCORD_APPLICATION_ID SOUNDEDIT_API_URL SOUNDEDIT_API_TOKEN (actsForDiscord)
 *   SOUNDEDIT_WEB_URL (gallery links) BOT_COOLDOWN_S (30) BOT_JOBS_PER_USER (1)
 *   BOT_PROGRESS_EVERY_MS (2500) BOT_INTERACTION_TTL_MS (15 min) DISCORD_API_URL (a stand-in's REST base)
 */
import { startBot } from './bot.ts';
import { ConfigError, readConfig } from './config.ts';

try {
  const config = readConfig();
  const client = await startBot(config);
  console.log(`soundedit bot logged in as ${client.user?.tag ?? '?'}; API ${config.apiUrl}`);
  const stop = async () => {
    await client.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(e instanceof ConfigError ? 2 : 1);
}
