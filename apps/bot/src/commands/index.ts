import type { BotCommand } from './command.ts';
import { editMessage } from './edit-message.ts';
import { soundedit } from './soundedit.ts';

/** Every command the bot registers and answers, by name. */
export const COMMANDS: ReadonlyMap<string, BotCommand> = new Map(
  [soundedit, editMessage].map((c) => [c.name, c]),
);
