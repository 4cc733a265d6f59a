import { AttachmentBuilder, Routes, type BaseMessageOptions, type RepliableInteraction } from 'discord.js';

export interface ReporterOptions {
  /** Least time between two edits of the message. */
  everyMs: number;
  /** How long the interaction's token lives (Discord: 15 minutes). */
  ttlMs: number;
  now?: () => number;
}

/**
 * Shows a long job's progress in one Discord message. Edits are spaced `everyMs` apart (the last
 * pending one is sent when the gap has passed, so no state is lost and no burst reaches the rate
 * limits). An interaction token dies after 15 minutes, so shortly before then the reply says
 * where to look and progress moves to an ordinary channel message sent with the bot's own token.
 */
export class ProgressReporter {
  private lastSent = -Infinity;
  private pending: BaseMessageOptions | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private channelMessage: string | undefined;
  private lastMessage: BaseMessageOptions | undefined;
  private readonly moveTimer: NodeJS.Timeout;
  private finished = false;
  private readonly now: () => number;
  /** Where each message went, in order (for the tests and the logs). */
  readonly sent: ('reply' | 'channel')[] = [];

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly o: ReporterOptions,
  ) {
    this.now = o.now ?? Date.now;
    // Move even when nothing happens (a long wait in the queue): resend the last state in time.
    const moveIn = this.interaction.createdTimestamp + o.ttlMs - this.margin() - this.now();
    this.moveTimer = setTimeout(
      () => {
        if (this.finished || this.channelMessage || !this.lastMessage) return;
        this.pending ??= this.lastMessage;
        this.kick();
      },
      Math.max(0, moveIn),
    );
    this.moveTimer.unref();
  }

  /** Shows `message` when the gap since the last request allows (replacing any older pending one). */
  update(message: BaseMessageOptions): void {
    if (this.finished) return;
    this.pending = message;
    this.kick();
  }

  /** Shows the final message once the gap allows, after anything already on its way. */
  async finish(message: BaseMessageOptions): Promise<void> {
    this.finished = true;
    clearTimeout(this.moveTimer);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    await this.inFlight;
    const wait = this.lastSent + this.o.everyMs - this.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await this.sendNow(message);
  }

  /** Time kept before the token's death for the last edit of the reply: a few edit gaps, at most a minute. */
  private margin(): number {
    return Math.min(60_000, Math.max(this.o.ttlMs / 5, 2 * this.o.everyMs));
  }

  // Requests start at least everyMs apart and never overlap: the gap is measured between the
  // starts of real requests, so a slow answer cannot bunch the next ones together.
  private kick(): void {
    if (this.timer || this.inFlight || this.finished || !this.pending) return;
    const wait = this.lastSent + this.o.everyMs - this.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.kick();
      }, wait);
      return;
    }
    const message = this.pending;
    this.pending = undefined;
    void this.sendNow(message).then(() => this.kick());
  }

  private sendNow(message: BaseMessageOptions): Promise<void> {
    this.lastSent = this.now();
    this.lastMessage = message;
    const request = this.send(message)
      .catch((e: unknown) => {
        console.error('could not show progress on Discord:', e instanceof Error ? e.message : e);
      })
      .finally(() => {
        if (this.inFlight === request) this.inFlight = undefined;
      });
    this.inFlight = request;
    return request;
  }

  private tokenExpiresSoon(): boolean {
    return this.now() - this.interaction.createdTimestamp >= this.o.ttlMs - this.margin();
  }

  private async send(message: BaseMessageOptions): Promise<void> {
    if (!this.channelMessage && !this.tokenExpiresSoon()) {
      await this.interaction.editReply(message);
      this.sent.push('reply');
      return;
    }
    const rest = this.interaction.client.rest;
    const channel = this.interaction.channelId;
    if (!channel) throw new Error('the interaction has no channel to continue in');
    const { body, files } = restMessage(message);
    if (!this.channelMessage) {
      await this.interaction.editReply({
        content: 'This edit is taking a while: its progress continues in a message below.',
        embeds: [],
        files: [],
        components: [],
      });
      const sent = (await rest.post(Routes.channelMessages(channel), {
        body: { ...body, content: `<@${this.interaction.user.id}> ${body.content}` },
        files,
      })) as { id: string };
      this.channelMessage = sent.id;
    } else {
      await rest.patch(Routes.channelMessage(channel, this.channelMessage), { body, files });
    }
    this.sent.push('channel');
  }
}

/** A message's options as a REST body plus files (for channel messages, which bypass the interaction). */
export function restMessage(m: BaseMessageOptions): {
  body: {
    content: string;
    embeds: unknown[];
    components: unknown[];
    attachments: { id: number; filename: string }[];
  };
  files: { name: string; data: Buffer }[];
} {
  const files = (m.files ?? []).map((f) => {
    if (!(f instanceof AttachmentBuilder) || !Buffer.isBuffer(f.attachment) || !f.name)
      throw new Error('channel messages take in-memory attachments only');
    return { name: f.name, data: f.attachment };
  });
  const json = (x: unknown) =>
    typeof x === 'object' && x !== null && 'toJSON' in x ? (x as { toJSON(): unknown }).toJSON() : x;
  return {
    body: {
      content: m.content ?? '',
      embeds: (m.embeds ?? []).map(json),
      components: (m.components ?? []).map(json),
      attachments: files.map((f, id) => ({ id, filename: f.name })),
    },
    files,
  };
}
