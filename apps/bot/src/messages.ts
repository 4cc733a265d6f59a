import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  type BaseMessageOptions,
} from 'discord.js';
import type { EditProgressSubscription } from '@soundedit/graphql';

type Progress = EditProgressSubscription['editProgress'];
export type FinishedEdit = NonNullable<Progress['edit']>;

/** Discord's default upload limits: 10 MiB per file, 25 MiB per message. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/** Button ids: the action, the edit, and (for delete) who may press it. */
export const buttonId = {
  remix: (edit: string) => `remix:${edit}`,
  reroll: (edit: string) => `reroll:${edit}`,
  delete: (edit: string, user: string) => `delete:${edit}:${user}`,
};

export function parseButtonId(id: string): { action: string; edit: string; user?: string } | null {
  const m = /^(remix|reroll|delete|remix-modal):([0-9a-f-]{36})(?::(\d+))?$/.exec(id);
  if (!m) return null;
  return { action: m[1]!, edit: m[2]!, ...(m[3] ? { user: m[3] } : {}) };
}

function bar(fraction: number, width = 16): string {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

/** The reply while an edit waits or runs: queue position or a progress bar, and the latest preview. */
export function progressMessage(what: string, p: Progress | null): BaseMessageOptions {
  const lines = [`🎧 ${what}`];
  if (!p || p.status === 'QUEUED') {
    lines.push(p?.queuePosition ? `Queued: ${p.queuePosition} edit(s) ahead.` : 'Queued: next in line.');
  } else {
    const fraction = p.totalSteps ? p.step / p.totalSteps : 0;
    lines.push(`\`${bar(fraction)}\` step ${p.step}/${p.totalSteps} (${Math.round(100 * fraction)} %)`);
    if (typeof p.cosine === 'number') lines.push(`sound–image cosine ${p.cosine.toFixed(3)}`);
  }
  const options: BaseMessageOptions = { content: lines.join('\n'), components: [] };
  if (p?.preview) {
    const png = Buffer.from(p.preview.slice(p.preview.indexOf(',') + 1), 'base64');
    options.files = [new AttachmentBuilder(png, { name: 'preview.png' })];
    options.embeds = [
      new EmbedBuilder().setImage('attachment://preview.png').setFooter({ text: `step ${p.step}` }),
    ];
  }
  return options;
}

/** The final message: before/after and the trajectory (within Discord's limits), a link, the buttons. */
export async function finishedMessage(
  edit: FinishedEdit,
  requester: string,
  webUrl: string | undefined,
  fetchFile: (url: string) => Promise<Uint8Array>,
): Promise<BaseMessageOptions> {
  const page = webUrl ? `${webUrl}/e/${edit.id}` : undefined;
  if (edit.status !== 'SUCCEEDED') {
    const why =
      edit.status === 'CANCELED'
        ? 'was canceled'
        : `failed: ${edit.errorMessage ?? edit.errorCode ?? 'unknown reason'}`;
    return { content: `The edit ${why}.`, components: [], embeds: [], files: [] };
  }
  const files: AttachmentBuilder[] = [];
  const skipped: string[] = [];
  let total = 0;
  for (const [url, name] of [
    [edit.sideBySideUrl, 'before-after.png'],
    [edit.trajectoryUrl, 'trajectory.gif'],
  ] as const) {
    if (!url) continue;
    const bytes = await fetchFile(url);
    if (bytes.length > MAX_FILE_BYTES || total + bytes.length > MAX_MESSAGE_BYTES) {
      skipped.push(`[${name}](${url})`);
      continue;
    }
    total += bytes.length;
    files.push(new AttachmentBuilder(Buffer.from(bytes), { name }));
  }
  const cosine = edit.metrics ? ` · sound–image cosine ${edit.metrics.finalCosine.toFixed(3)}` : '';
  const lines = [
    `✨ Done in ${edit.metrics?.seconds.toFixed(1) ?? '?'} s${cosine}.`,
    ...(page ? [`Gallery: ${page}`] : []),
    ...(skipped.length ? [`Too large to attach: ${skipped.join(', ')}`] : []),
  ];
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(buttonId.remix(edit.id)).setLabel('Remix').setStyle(ButtonStyle.Primary),
    new ButtonBuilder()
      .setCustomId(buttonId.reroll(edit.id))
      .setLabel('New source')
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(buttonId.delete(edit.id, requester))
      .setLabel('Delete')
      .setStyle(ButtonStyle.Danger),
  );
  return { content: lines.join('\n'), files, embeds: [], components: [row] };
}
