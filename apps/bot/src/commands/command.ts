import type {
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../edit-job.ts';

/** One application command: its registration JSON (packs offered as choices) and its handler. */
export interface BotCommand {
  name: string;
  definition(packs: readonly string[]): RESTPostAPIApplicationCommandsJSONBody;
  execute(
    ctx: BotContext,
    interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  ): Promise<void>;
}
