import {
  ActionRowBuilder,
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { imageProblem, soundProblem } from '../attachments.ts';
import { answerPrivately, runEdit } from '../edit-job.ts';
import { pendingPrompts } from '../pending-prompts.ts';
import type { BotCommand } from './command.ts';
import { attachmentInfo } from './soundedit.ts';

export const EDIT_MESSAGE_COMMAND = 'Edit with soundedit';

/**
 * Message context menu: the message's picture is the source and its sound attachment, if any, the
 * guidance; without one, a modal asks for text to edit with instead.
 */
export const editMessage: BotCommand = {
  name: EDIT_MESSAGE_COMMAND,
  definition() {
    return new ContextMenuCommandBuilder()
      .setName(EDIT_MESSAGE_COMMAND)
      .setType(ApplicationCommandType.Message)
      .toJSON();
  },
  async execute(ctx, interaction) {
    const i = interaction as MessageContextMenuCommandInteraction;
    const attachments = [...i.targetMessage.attachments.values()].map(attachmentInfo);
    const image = attachments.find((a) => imageProblem(a) === null);
    const sound = attachments.find((a) => soundProblem(a) === null);
    if (!image) {
      const why = attachments.length
        ? imageProblem(attachments[0]!)
        : 'That message has no picture attached.';
      return answerPrivately(i, `${why} Use it on a message with a PNG or JPEG picture.`);
    }
    if (sound) return runEdit(ctx, i, { kind: 'create', sound, image });
    const key = pendingPrompts.put({ image });
    await i.showModal(
      new ModalBuilder()
        .setCustomId(`prompt-modal:${key}`)
        .setTitle('No sound on that message')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder()
              .setCustomId('prompt')
              .setLabel('Describe the change instead')
              .setStyle(TextInputStyle.Short)
              .setMaxLength(200)
              .setRequired(true),
          ),
        ),
    );
  },
};
