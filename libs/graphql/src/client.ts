import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { ApiError, type ApiErrorPayload } from './api-error.ts';

export interface ClientOptions {
  /** The API's origin, e.g. http://127.0.0.1:4000; '' for the page's own origin (a proxy in front). */
  url: string;
  /** graphql-ws endpoint; default: `url` with ws(s) and /graphql (the page's origin when url is ''). */
  wsUrl?: string;
  /** An API token (se_...), sent as a Bearer header. Browsers use the session cookie instead. */
  token?: string;
  /** Extra headers for every HTTP request (the bot names the Discord user it acts for, say). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
}

/** The answer of POST /v1/sounds. */
export interface UploadedSound {
  id: string;
  durationS: number;
  sampleRate: number;
  channels: number;
  format: string;
}

/**
 * A typed client for soundedit's API: queries and mutations over HTTP, uploads, subscriptions over
 * graphql-ws. Every failure is an ApiError with a code; the web site and the bot share it.
 */
export class SoundeditClient {
  private ws: WsClient | undefined;
  private readonly fetch: typeof fetch;

  constructor(private readonly o: ClientOptions) {
    this.fetch = o.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** An absolute URL for a path the API answers (blobs, uploads). */
  href(path: string): string {
    return /^https?:/.test(path) ? path : `${this.o.url.replace(/\/$/, '')}${path}`;
  }

  async request<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<TData> {
    const body = await this.send(this.href('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify({ query: print(document), variables }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { data, errors } = body as { data?: TData | null; errors?: ApiErrorPayload[] };
    if (errors?.length) throw ApiError.fromPayload(errors[0]!);
    if (data === undefined || data === null)
      throw new ApiError('UNREACHABLE', 'the API answered without data');
    return data;
  }

  /** Uploads a sound file's bytes (POST /v1/sounds); limits and format errors come back as ApiError. */
  async uploadSound(
    bytes: Uint8Array | Blob,
    contentType = 'application/octet-stream',
  ): Promise<UploadedSound> {
    const body = bytes instanceof Uint8Array ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : bytes;
    return (await this.send(this.href('/v1/sounds'), {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    })) as UploadedSound;
  }

  /** Starts (or keeps) a browser session: the API sets its signed cookie. */
  async startSession(name?: string): Promise<{ id: string; name: string }> {
    return (await this.send(this.href('/v1/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(name ? { name } : {}),
    })) as { id: string; name: string };
  }

  /**
   * A subscription's events until it completes; breaking out of the loop unsubscribes. Errors from
   * the server end the loop with an ApiError.
   */
  async *subscribe<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): AsyncGenerator<TData, void, undefined> {
    const iterator = this.wsClient().iterate<TData>({ query: print(document), variables });
    try {
      for await (const result of iterator) {
        if (result.errors?.length) throw ApiError.fromPayload(result.errors[0] as ApiErrorPayload);
        if (result.data) yield result.data;
      }
    } catch (e) {
      throw e instanceof ApiError ? e : new ApiError('UNREACHABLE', describe(e));
    } finally {
      await iterator.return?.();
    }
  }

  /** Closes the subscription socket, if one was opened. */
  async dispose(): Promise<void> {
    await this.ws?.dispose();
    this.ws = undefined;
  }

  private wsClient(): WsClient {
    this.ws ??= createClient({
      url: this.o.wsUrl ?? wsUrlFor(this.o.url),
      lazy: true,
      retryAttempts: 3,
      ...(this.o.webSocketImpl ? { webSocketImpl: this.o.webSocketImpl } : {}),
      ...(this.o.token ? { connectionParams: { authorization: `Bearer ${this.o.token}` } } : {}),
    });
    return this.ws;
  }

  private async send(url: string, init: RequestInit): Promise<unknown> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.o.headers ?? {})) headers.set(k, v);
    if (this.o.token) headers.set('authorization', `Bearer ${this.o.token}`);
    let response: Response;
    try {
      response = await this.fetch(url, { ...init, headers, credentials: 'same-origin' });
    } catch (e) {
      if (init.signal?.aborted) throw e;
      throw new ApiError('UNREACHABLE', `the API at ${url} cannot be reached: ${describe(e)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(
        'UNREACHABLE',
        `the API answered ${response.status} with something that is not JSON`,
        {
          status: response.status,
        },
      );
    }
    if (!response.ok) {
      const errors = (body as { errors?: ApiErrorPayload[] }).errors;
      if (errors?.length) throw ApiError.fromPayload(errors[0]!);
      throw new ApiError('UNREACHABLE', `the API answered ${response.status}`, { status: response.status });
    }
    return body;
  }
}

function wsUrlFor(url: string): string {
  const base = url || ((globalThis as { location?: { origin: string } }).location?.origin ?? '');
  if (!base) throw new ApiError('UNREACHABLE', 'no API URL to open a subscription on');
  return `${base.replace(/^http/, 'ws').replace(/\/$/, '')}/graphql`;
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  // graphql-ws closes with a CloseEvent-like object.
  if (typeof e === 'object' && e !== null && 'reason' in e)
    return String((e as { reason: unknown }).reason) || 'closed';
  return String(e);
}
