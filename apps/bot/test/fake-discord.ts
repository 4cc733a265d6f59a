import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A loopback stand-in for Discord (discord.com is unreachable here): the REST API routes the bot
 * uses, the gateway handshake (HELLO, IDENTIFY, READY, heartbeats) and INTERACTION_CREATE
 * dispatches, and a CDN serving attachments. Payloads follow Discord's API v10 documentation.
 * Interaction tokens expire after `tokenTtlMs`, as Discord's do after 15 minutes: webhook calls
 * with an expired token answer 401 "Invalid Webhook Token" (code 50027).
 */

export interface RestCall {
  method: string;
  /** The route with ids kept, e.g. /webhooks/{app}/{token}/messages/@original. */
  path: string;
  body: Record<string, unknown> | undefined;
  files: { name: string; bytes: number; contentType: string }[];
  at: number;
}

export interface DiscordUser {
  id: string;
  username: string;
  global_name: string | null;
}

interface InteractionRecord {
  token: string;
  createdAt: number;
}

const snowflake = (() => {
  let n = 0n;
  return () => String(((BigInt(Date.now()) - 1420070400000n) << 22n) + n++);
})();

export class FakeDiscord {
  readonly calls: RestCall[] = [];
  readonly botUser: DiscordUser = { id: snowflake(), username: 'soundedit', global_name: null };
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  private server!: Server;
  private wss!: WebSocketServer;
  private socket: WebSocket | undefined;
  private seq = 0;
  private readonly files = new Map<string, { bytes: Buffer; type: string }>();
  private readonly interactions = new Map<string, InteractionRecord>();
  private readonly messages = new Map<string, Record<string, unknown>>();
  identified: Record<string, unknown> | undefined;
  private identifiedWaiters: (() => void)[] = [];

  constructor(
    readonly botToken: string,
    public tokenTtlMs = 15 * 60_000,
  ) {}

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get restUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (ws) => this.gateway(ws));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Resolves once a client has identified on the gateway (the bot is READY). */
  ready(): Promise<void> {
    return this.identified ? Promise.resolve() : new Promise((r) => this.identifiedWaiters.push(r));
  }

  /** Puts a file on the fake CDN and returns its attachment object as Discord sends it. */
  attachment(name: string, bytes: Buffer, contentType: string | null, extra: Record<string, unknown> = {}) {
    const id = snowflake();
    this.files.set(`${id}/${name}`, { bytes, type: contentType ?? 'application/octet-stream' });
    const url = `http://127.0.0.1:${this.port}/attachments/${this.channelId}/${id}/${name}`;
    return {
      id,
      filename: name,
      size: bytes.length,
      url,
      proxy_url: url,
      ...(contentType ? { content_type: contentType } : {}),
      ...extra,
    };
  }

  user(id = snowflake(), username = `user${id.slice(-4)}`): DiscordUser {
    return { id, username, global_name: username };
  }

  private base(
    user: DiscordUser,
    type: number,
    data: Record<string, unknown>,
    message?: Record<string, unknown>,
  ) {
    const id = snowflake();
    const token = `itok_${randomBytes(24).toString('hex')}`;
    this.interactions.set(token, { token, createdAt: Date.now() });
    return {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: this.guildId,
      channel_id: this.channelId,
      channel: { id: this.channelId, type: 0, guild_id: this.guildId, name: 'edits' },
      member: {
        user: { ...user, discriminator: '0', avatar: null },
        roles: [],
        joined_at: new Date(0).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        permissions: '2251799813685247',
      },
      token,
      version: 1,
      app_permissions: '2251799813685247',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
      ...(message ? { message } : {}),
    };
  }

  /** Dispatches a chat-input command (type 2) with options; attachment options carry resolved objects. */
  slashCommand(
    user: DiscordUser,
    name: string,
    options: { name: string; type: number; value: unknown }[],
    attachments: Record<string, unknown>[] = [],
  ): string {
    const resolved = attachments.length
      ? { attachments: Object.fromEntries(attachments.map((a) => [(a as { id: string }).id, a])) }
      : undefined;
    const payload = this.base(user, 2, {
      id: snowflake(),
      name,
      type: 1,
      options,
      ...(resolved ? { resolved } : {}),
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.token;
  }

  /** Dispatches a message context-menu command on a message with these attachments. */
  messageCommand(user: DiscordUser, name: string, attachments: Record<string, unknown>[]): string {
    const target = {
      id: snowflake(),
      channel_id: this.channelId,
      author: { ...this.user(), discriminator: '0', avatar: null },
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments,
      embeds: [],
      pinned: false,
      type: 0,
    };
    const payload = this.base(user, 2, {
      id: snowflake(),
      name,
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.token;
  }

  /** Dispatches a button press (type 3) on a message the bot sent. */
  button(user: DiscordUser, customId: string, messageId: string): string {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    const payload = this.base(user, 3, { custom_id: customId, component_type: 2 }, message);
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.token;
  }

  /** Dispatches a modal submission (type 5) with text inputs by id. */
  modalSubmit(user: DiscordUser, customId: string, values: Record<string, string>): string {
    const payload = this.base(user, 5, {
      custom_id: customId,
      components: Object.entries(values).map(([id, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: id, value }],
      })),
    });
    this.dispatch('INTERACTION_CREATE', payload);
    return payload.token;
  }

  /** REST calls made with one interaction token (callback and webhook routes). */
  callsFor(token: string): RestCall[] {
    return this.calls.filter((c) => c.path.includes(token));
  }

  /** Waits until `predicate` holds for the calls so far. */
  async waitFor(predicate: (calls: RestCall[]) => boolean, ms = 60_000): Promise<void> {
    const until = Date.now() + ms;
    while (!predicate(this.calls)) {
      if (Date.now() > until)
        throw new Error(`timed out; calls so far:\n${this.calls.map(describeCall).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('no gateway connection');
    this.socket.send(JSON.stringify({ op: 0, t, s: ++this.seq, d }));
  }

  private gateway(ws: WebSocket): void {
    this.socket = ws;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (m.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (m.op === 2) {
        if (m.d['token'] !== this.botToken) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        this.identified = m.d;
        this.dispatch('READY', {
          v: 10,
          user: { ...this.botUser, discriminator: '0', avatar: null, bot: true },
          guilds: [],
          session_id: randomBytes(16).toString('hex'),
          resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
        });
        for (const w of this.identifiedWaiters.splice(0)) w();
      }
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname.startsWith('/attachments/')) {
      const [, , , id, name] = url.pathname.split('/');
      const f = this.files.get(`${id}/${decodeURIComponent(name!)}`);
      if (!f) return send(404, { message: 'Not Found', code: 0 });
      res.writeHead(200, { 'content-type': f.type, 'content-length': f.bytes.length });
      res.end(f.bytes);
      return;
    }
    const m = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    if (!m) return send(404, { message: '404: Not Found', code: 0 });
    const path = decodeURIComponent(m[1]!);
    const { body, files } = await readBody(req);
    const call: RestCall = { method: req.method!, path, body, files, at: Date.now() };
    if (path === '/gateway/bot' || path === '/gateway') {
      return send(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (
      req.headers.authorization !== `Bot ${this.botToken}` &&
      !path.startsWith('/webhooks/') &&
      !path.startsWith('/interactions/')
    ) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }
    this.calls.push(call);
    let r: RegExpExecArray | null;
    if ((r = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && req.method === 'POST') {
      if (!this.alive(r[2]!)) return send(404, { message: 'Unknown interaction', code: 10062 });
      const type = (body?.['type'] as number) ?? 0;
      // A reply (4) or update (7) carries a message; deferrals (5, 6) and modals (9) do not.
      if (type === 4 || type === 7)
        this.storeMessage(`orig_${r[2]}`, body?.['data'] as Record<string, unknown>, files);
      if (url.searchParams.get('with_response') === 'true') {
        return send(200, { interaction: { id: r[1], type: 2 }, resource: { type } });
      }
      return send(204);
    }
    if ((r = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/(@original|\d+))?$/.exec(path))) {
      if (!this.alive(r[2]!)) return send(401, { message: 'Invalid Webhook Token', code: 50027 });
      if (req.method === 'DELETE') return send(204);
      if (req.method === 'PATCH') return send(200, this.storeMessage(`orig_${r[2]}`, body, files));
      if (req.method === 'POST') return send(200, this.storeMessage(snowflake(), body, files));
    }
    if ((r = /^\/channels\/(\d+)\/messages(\/(\d+))?$/.exec(path))) {
      if (req.method === 'POST' && !r[3]) return send(200, this.storeMessage(snowflake(), body, files));
      if (req.method === 'PATCH' && r[3]) return send(200, this.storeMessage(r[3], body, files));
    }
    if ((r = /^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/.exec(path)) && req.method === 'PUT') {
      const list = (body as unknown as Record<string, unknown>[]) ?? [];
      return send(
        200,
        list.map((c) => ({ ...c, id: snowflake(), application_id: r![1], version: snowflake() })),
      );
    }
    return send(404, { message: `the stand-in does not serve ${req.method} ${path}`, code: 0 });
  }

  private alive(token: string): boolean {
    const i = this.interactions.get(token);
    return Boolean(i && Date.now() - i.createdAt < this.tokenTtlMs);
  }

  /** The message id a reply or channel message got (the original reply's is `orig_<token>` → a snowflake). */
  messageIdOf(key: string): string | undefined {
    return (this.messages.get(key)?.['id'] as string | undefined) ?? undefined;
  }

  private storeMessage(
    key: string,
    body: Record<string, unknown> | undefined,
    files: RestCall['files'],
  ): Record<string, unknown> {
    const previous = this.messages.get(key);
    const id = (previous?.['id'] as string | undefined) ?? (key.startsWith('orig_') ? snowflake() : key);
    const message = {
      id,
      type: 0,
      channel_id: this.channelId,
      author: { ...this.botUser, discriminator: '0', avatar: null, bot: true },
      content: (body?.['content'] as string | undefined) ?? previous?.['content'] ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: previous ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: files.map((f, i) => ({
        id: snowflake(),
        filename: f.name,
        size: f.bytes,
        url: `http://127.0.0.1:${this.port}/attachments/${this.channelId}/${i}/${f.name}`,
        proxy_url: '',
        content_type: f.contentType,
      })),
      embeds: (body?.['embeds'] as unknown[] | undefined) ?? [],
      components: (body?.['components'] as unknown[] | undefined) ?? previous?.['components'] ?? [],
      pinned: false,
      flags: (body?.['flags'] as number | undefined) ?? 0,
    };
    this.messages.set(key, message);
    this.messages.set(id, message);
    return message;
  }
}

async function readBody(
  req: IncomingMessage,
): Promise<{ body: Record<string, unknown> | undefined; files: RestCall['files'] }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!raw.length) return { body: undefined, files: [] };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    const files: RestCall['files'] = [];
    let body: Record<string, unknown> | undefined;
    for (const [key, value] of form.entries()) {
      if (key === 'payload_json') body = JSON.parse(String(value)) as Record<string, unknown>;
      else if (typeof value !== 'string')
        files.push({ name: value.name, bytes: value.size, contentType: value.type });
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')) as Record<string, unknown>, files: [] };
}

/** One call as a line: method, route with the token shortened, and what it carried. */
export function describeCall(c: RestCall): string {
  const path = c.path.replace(/itok_[0-9a-f]+/, 'TOKEN');
  const type = c.body?.['type'] !== undefined ? ` type=${String(c.body['type'])}` : '';
  const files = c.files.length ? ` files=${c.files.map((f) => f.name).join(',')}` : '';
  return `${c.method} ${path}${type}${files}`;
}
