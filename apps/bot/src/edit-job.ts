import {
  ApiError,
  CreateEditDocument,
  EditProgressDocument,
  RemixEditDocument,
  type CreateEditInput,
  type RemixInput,
  type SoundeditClient,
} from '@soundedit/graphql';
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { clientFor } from './api-client.ts';
import { download, MAX_IMAGE_BYTES, MAX_SOUND_BYTES, type AttachmentInfo } from './attachments.ts';
import type { BotConfig } from './config.ts';
import { finishedMessage, MAX_FILE_BYTES, progressMessage, type FinishedEdit } from './messages.ts';
import { ProgressReporter } from './progress-reporter.ts';
import type { UserLimits } from './user-limits.ts';

export interface BotContext {
  config: BotConfig;
  limits: UserLimits;
}

/** What one edit request asks for, from a command, a context menu, a button or a modal. */
export type EditRequest =
  | {
      kind: 'create';
      sound?: AttachmentInfo;
      image?: AttachmentInfo;
      prompt?: string;
      pack?: string;
      strength?: number;
    }
  | { kind: 'remix'; editId: string; overrides: RemixInput };

/** Answers only the person who asked, whether or not the interaction was deferred yet. */
export async function answerPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  if (interaction.deferred || interaction.replied) {
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => {});
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.reply({ content, flags: MessageFlags.Ephemeral });
  }
}

function describe(r: EditRequest): string {
  if (r.kind === 'remix') {
    const p = r.overrides.prompt
      ? ` with “${r.overrides.prompt}”`
      : r.overrides.source
        ? ' from a new source'
        : '';
    return `Remixing${p}`;
  }
  const parts = [r.sound ? `Editing with \`${r.sound.name}\`` : 'Editing with text'];
  if (r.prompt) parts.push(`+ “${r.prompt}”`);
  if (r.pack) parts.push(`on ${r.pack}`);
  return parts.join(' ');
}

/**
 * Runs one edit for an interaction: limits first (answered privately), then a deferral inside
 * Discord's 3 seconds, the upload, the edit, its progress in the reply and the final message.
 * The interaction must not be answered yet.
 */
export async function runEdit(
  ctx: BotContext,
  interaction: RepliableInteraction,
  request: EditRequest,
): Promise<void> {
  const user = interaction.user;
  const refused = ctx.limits.tryStart(user.id);
  if (refused) return answerPrivately(interaction, refused);
  const api = clientFor(ctx.config, { id: user.id, name: user.globalName ?? user.username });
  try {
    await interaction.deferReply();
    const editId = await start(api, request);
    await follow(ctx, interaction, api, editId, describe(request));
  } catch (e) {
    if (e instanceof ApiError && e.code !== 'UNREACHABLE' && e.code !== 'INTERNAL_SERVER_ERROR') {
      await answerPrivately(interaction, `That did not work: ${e.message}`);
    } else {
      const why = e instanceof ApiError ? 'the soundedit service is not answering' : (e as Error).message;
      await interaction
        .editReply({
          content: `Sorry, the edit could not be made: ${why}.`,
          embeds: [],
          files: [],
          components: [],
        })
        .catch(() => {});
    }
  } finally {
    ctx.limits.finish(user.id);
    await api.dispose();
  }
}

async function start(api: SoundeditClient, r: EditRequest): Promise<string> {
  if (r.kind === 'remix') {
    return (await api.request(RemixEditDocument, { id: r.editId, overrides: r.overrides })).remixEdit.id;
  }
  const input: CreateEditInput = { settings: {} };
  if (r.sound) {
    const bytes = await download(r.sound.url, MAX_SOUND_BYTES);
    input.soundId = (await api.uploadSound(bytes, r.sound.contentType ?? 'application/octet-stream')).id;
  }
  input.source = r.image
    ? { imageBase64: Buffer.from(await download(r.image.url, MAX_IMAGE_BYTES)).toString('base64') }
    : { seed: Math.floor(Math.random() * 1_000_000) };
  if (r.prompt) input.prompt = r.prompt;
  if (r.pack) input.pack = r.pack;
  if (r.strength !== undefined) input.settings = { strength: r.strength };
  return (await api.request(CreateEditDocument, { input })).createEdit.id;
}

async function follow(
  ctx: BotContext,
  interaction: RepliableInteraction,
  api: SoundeditClient,
  editId: string,
  what: string,
): Promise<void> {
  const reporter = new ProgressReporter(interaction, {
    everyMs: ctx.config.progressEveryMs,
    ttlMs: ctx.config.interactionTtlMs,
  });
  reporter.update(progressMessage(what, null));
  let final: FinishedEdit | undefined;
  // Previews come every few steps; the newest one rides along with every later progress message,
  // since the message that carried it may have been replaced before it was sent.
  let preview: string | null = null;
  for await (const { editProgress } of api.subscribe(EditProgressDocument, { id: editId })) {
    if (editProgress.edit) {
      final = editProgress.edit;
      break;
    }
    preview = editProgress.preview ?? preview;
    reporter.update(progressMessage(what, { ...editProgress, preview }));
  }
  if (!final) {
    await reporter.finish({
      content: 'The edit was deleted before it finished.',
      embeds: [],
      files: [],
      components: [],
    });
    return;
  }
  await reporter.finish(
    await finishedMessage(final, interaction.user.id, ctx.config.webUrl, (url) =>
      download(url, 3 * MAX_FILE_BYTES),
    ),
  );
}
