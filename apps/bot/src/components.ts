import { ApiError, DeleteEditDocument } from '@soundedit/graphql';
import {
  ActionRowBuilder,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { clientFor } from './api-client.ts';
import { MAX_STRENGTH, MIN_STRENGTH } from './commands/soundedit.ts';
import { answerPrivately, runEdit, type BotContext } from './edit-job.ts';
import { parseButtonId } from './messages.ts';
import { pendingPrompts } from './pending-prompts.ts';

/** The final message's buttons: Remix (a modal), New source (a new seed), Delete (the requester only). */
export async function onButton(ctx: BotContext, i: ButtonInteraction): Promise<void> {
  const id = parseButtonId(i.customId);
  if (!id) return answerPrivately(i, 'That button is not one of mine.');
  if (id.action === 'remix') {
    await i.showModal(
      new ModalBuilder()
        .setCustomId(`remix-modal:${id.edit}`)
        .setTitle('Remix this edit')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder()
              .setCustomId('prompt')
              .setLabel('Text to mix in (optional)')
              .setStyle(TextInputStyle.Short)
              .setMaxLength(200)
              .setRequired(false),
          ),
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder()
              .setCustomId('strength')
              .setLabel(`Strength, ${MIN_STRENGTH} to ${MAX_STRENGTH} (optional)`)
              .setStyle(TextInputStyle.Short)
              .setMaxLength(6)
              .setRequired(false),
          ),
        ),
    );
    return;
  }
  if (id.action === 'reroll') {
    return runEdit(ctx, i, {
      kind: 'remix',
      editId: id.edit,
      overrides: { source: { seed: Math.floor(Math.random() * 1_000_000) } },
    });
  }
  if (id.action === 'delete') {
    if (id.user !== i.user.id)
      return answerPrivately(i, 'Only the person who asked for this edit can delete it.');
    const api = clientFor(ctx.config, { id: i.user.id, name: i.user.globalName ?? i.user.username });
    try {
      await api.request(DeleteEditDocument, { id: id.edit });
      await i.update({
        content: '🗑️ Deleted by the person who asked for it.',
        embeds: [],
        files: [],
        components: [],
      });
    } catch (e) {
      await answerPrivately(i, `It could not be deleted: ${e instanceof ApiError ? e.message : String(e)}`);
    } finally {
      await api.dispose();
    }
  }
}

/** Modal answers: the remix form, and the text for a message that had a picture but no sound. */
export async function onModal(ctx: BotContext, i: ModalSubmitInteraction): Promise<void> {
  const remix = /^remix-modal:([0-9a-f-]{36})$/.exec(i.customId);
  if (remix) {
    const prompt = i.fields.getTextInputValue('prompt').trim();
    const rawStrength = i.fields.getTextInputValue('strength').trim();
    const strength = rawStrength ? Number(rawStrength) : undefined;
    if (strength !== undefined && !(strength >= MIN_STRENGTH && strength <= MAX_STRENGTH)) {
      return answerPrivately(
        i,
        `Strength must be a number from ${MIN_STRENGTH} to ${MAX_STRENGTH}, not “${rawStrength}”.`,
      );
    }
    return runEdit(ctx, i, {
      kind: 'remix',
      editId: remix[1]!,
      overrides: {
        ...(prompt ? { prompt } : {}),
        ...(strength !== undefined ? { settings: { strength } } : {}),
      },
    });
  }
  const text = /^prompt-modal:([0-9a-f-]{36})$/.exec(i.customId);
  if (text) {
    const pending = pendingPrompts.take(text[1]!);
    if (!pending) return answerPrivately(i, 'That form expired: use the command on the message again.');
    return runEdit(ctx, i, {
      kind: 'create',
      image: pending.image,
      prompt: i.fields.getTextInputValue('prompt').trim(),
    });
  }
  return answerPrivately(i, 'That form is not one of mine.');
}
