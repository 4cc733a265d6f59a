import { SlashCommandBuilder, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import { imageProblem, soundProblem, type AttachmentInfo } from '../attachments.ts';
import { answerPrivately, runEdit } from '../edit-job.ts';
import type { BotCommand } from './command.ts';

export const MIN_STRENGTH = 0.1;
export const MAX_STRENGTH = 4;

export function attachmentInfo(a: Attachment): AttachmentInfo {
  return { name: a.name, size: a.size, url: a.url, contentType: a.contentType, duration: a.duration };
}

/** `/soundedit audio:<file> [prompt] [image] [pack] [strength]`: edit a picture with a sound. */
export const soundedit: BotCommand = {
  name: 'soundedit',
  definition(packs) {
    return new SlashCommandBuilder()
      .setName('soundedit')
      .setDescription('Edit a picture with a sound')
      .addAttachmentOption((o) =>
        o
          .setName('audio')
          .setDescription('The sound (WAV, MP3, Ogg, FLAC, WebM, M4A; up to 30 s)')
          .setRequired(true),
      )
      .addStringOption((o) =>
        o.setName('prompt').setDescription('Text mixed with the sound').setMaxLength(200),
      )
      .addAttachmentOption((o) =>
        o.setName('image').setDescription('Your picture as the source (else a random one)'),
      )
      .addStringOption((o) => {
        o.setName('pack').setDescription('Which model pack');
        if (packs.length) o.addChoices(...packs.slice(0, 25).map((p) => ({ name: p, value: p })));
        return o;
      })
      .addNumberOption((o) =>
        o
          .setName('strength')
          .setDescription('How hard the sound pulls (1 is the default)')
          .setMinValue(MIN_STRENGTH)
          .setMaxValue(MAX_STRENGTH),
      )
      .toJSON();
  },
  async execute(ctx, interaction) {
    const i = interaction as ChatInputCommandInteraction;
    const audio = i.options.getAttachment('audio', true);
    const image = i.options.getAttachment('image');
    const strength = i.options.getNumber('strength') ?? undefined;
    const problem =
      soundProblem(attachmentInfo(audio)) ??
      (image ? imageProblem(attachmentInfo(image)) : null) ??
      (strength !== undefined && !(strength >= MIN_STRENGTH && strength <= MAX_STRENGTH)
        ? `strength must be between ${MIN_STRENGTH} and ${MAX_STRENGTH}.`
        : null);
    if (problem) return answerPrivately(i, problem);
    const prompt = i.options.getString('prompt')?.trim() || undefined;
    const pack = i.options.getString('pack') ?? undefined;
    await runEdit(ctx, i, {
      kind: 'create',
      sound: attachmentInfo(audio),
      ...(image ? { image: attachmentInfo(image) } : {}),
      ...(prompt ? { prompt } : {}),
      ...(pack ? { pack } : {}),
      ...(strength !== undefined ? { strength } : {}),
    });
  },
};
