import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import { COMMANDS } from './commands/index.ts';
import { onButton, onModal } from './components.ts';
import type { BotConfig } from './config.ts';
import { answerPrivately, type BotContext } from './edit-job.ts';
import { UserLimits } from './user-limits.ts';

/** A logged-in discord.js client that answers soundedit's commands, buttons and modals. */
export async function startBot(config: BotConfig): Promise<Client> {
  const ctx: BotContext = {
    config,
    limits: new UserLimits(config.cooldownS * 1000, config.jobsPerUser),
  };
  // Interactions need no privileged intents: the bot reads no messages and no member lists.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(config.discordApiUrl ? { rest: { api: config.discordApiUrl } } : {}),
  });
  client.on(Events.InteractionCreate, (interaction) => void handle(ctx, interaction));
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(config.discordToken);
  await ready;
  return client;
}

async function handle(ctx: BotContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand()) {
      const command = COMMANDS.get(interaction.commandName);
      if (!command)
        return await answerPrivately(interaction, `I do not know the command ${interaction.commandName}.`);
      await command.execute(ctx, interaction);
    } else if (interaction.isButton()) {
      await onButton(ctx, interaction);
    } else if (interaction.isModalSubmit()) {
      await onModal(ctx, interaction);
    }
  } catch (e) {
    // One bad interaction must not stop the bot.
    console.error(`interaction ${interaction.id} failed:`, e);
    if (interaction.isRepliable())
      await answerPrivately(interaction, 'Something went wrong on my side.').catch(() => {});
  }
}
