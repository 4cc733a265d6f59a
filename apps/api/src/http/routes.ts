import { BLOB_CONTENT_TYPES, createAccount, isBlobKey, type BlobStore, type Db } from '@soundedit/service';
import express, { type Request, type Response, type Router } from 'express';
import { GraphQLError } from 'graphql';
import { identify, requireViewer } from '../auth/identify.ts';
import { signSession, sessionCookieHeader } from '../auth/session-cookie.ts';
import type { ApiContext } from '../context.ts';
import { soundError, uploadSound } from '../edits/sound-upload.ts';
import { apiError } from '../errors.ts';
import { spend } from '../resolvers/mutation.ts';

/** Errors of the REST routes, shaped like GraphQL's so clients handle both alike. */
function sendError(res: Response, status: number, code: string, message: string, extra: object = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

const STATUS_OF: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
};

function sendCaught(res: Response, e: unknown): void {
  if (e instanceof GraphQLError) {
    const code = String(e.extensions['code'] ?? 'BAD_USER_INPUT');
    const { code: _code, ...extra } = e.extensions;
    sendError(res, STATUS_OF[code] ?? 400, code, e.message, extra);
  } else {
    console.error(e);
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'the server failed to handle this request');
  }
}

function headersOf(req: Request): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

// Form posts and plain text can be sent cross-site without a preflight; anything else cannot.
const SIMPLE_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

export interface RouteDeps {
  db: Db;
  blobs: BlobStore;
  sessionSecret: string;
  secureCookies: boolean;
  /** The context a GraphQL request from these headers would get. */
  contextFor(headers: Record<string, string | undefined>): Promise<ApiContext>;
}

/** REST beside GraphQL: sound uploads, stored blobs, web sessions. */
export function restRoutes(d: RouteDeps): Router {
  const router = express.Router();

  router.post('/v1/sounds', async (req, res) => {
    // An answer that comes before the whole body was read closes the connection: the unread rest
    // must not be parsed as the next request, nor keep the socket (and a graceful stop) waiting.
    let bodyRead = false;
    const refuse = (e: unknown) => {
      if (!bodyRead) {
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.socket.destroySoon());
      }
      sendCaught(res, e instanceof GraphQLError ? e : soundError(e));
    };
    try {
      if (SIMPLE_TYPES.test(req.headers['content-type'] ?? ''))
        throw apiError(
          'UNSUPPORTED_MEDIA_TYPE',
          'send the file as its own body (Content-Type: audio/* or application/octet-stream)',
        );
      const ctx = await d.contextFor(headersOf(req));
      const viewer = requireViewer(ctx.viewer);
      spend(ctx, viewer);
      const max = ctx.limits.sound.maxBytes;
      const tooLarge = () =>
        apiError('PAYLOAD_TOO_LARGE', `the file is larger than ${max} bytes`, { maxBytes: max });
      if (Number(req.headers['content-length'] ?? 0) > max) throw tooLarge();
      // Read at most max + 1 bytes, whatever Content-Length claimed.
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > max) throw tooLarge();
        chunks.push(chunk);
      }
      bodyRead = true;
      const sound = await uploadSound(ctx, viewer.id, new Uint8Array(Buffer.concat(chunks)));
      res.status(201).json({
        id: sound.id,
        durationS: sound.durationS,
        sampleRate: sound.sampleRate,
        channels: sound.channels,
        format: sound.format,
      });
    } catch (e) {
      refuse(e);
    }
  });

  router.get('/blobs/:key', async (req, res) => {
    const key = req.params.key;
    if (!isBlobKey(key)) return sendError(res, 404, 'NOT_FOUND', `no blob ${key}`);
    const bytes = await d.blobs.get(key);
    if (!bytes) return sendError(res, 404, 'NOT_FOUND', `no blob ${key}`);
    const ext = key.slice(key.lastIndexOf('.') + 1);
    res.setHeader('Content-Type', BLOB_CONTENT_TYPES[ext] ?? 'application/octet-stream');
    // Content-addressed: a key never changes meaning.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', `"${key}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.headers['if-none-match'] === `"${key}"`) return void res.status(304).end();
    res.end(Buffer.from(bytes));
  });

  router.post('/v1/session', express.json({ limit: '4kb' }), async (req, res) => {
    try {
      const existing = await identify(d.db, headersOf(req), d.sessionSecret);
      const body: unknown = req.body;
      const raw = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
      const name = typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 64) : 'guest';
      const viewer = existing.viewer ?? (await createAccount(d.db, 'web', name));
      res.setHeader(
        'Set-Cookie',
        sessionCookieHeader(signSession(viewer.id, d.sessionSecret), d.secureCookies),
      );
      res.json({ id: viewer.id, name: viewer.displayName });
    } catch (e) {
      sendCaught(res, e);
    }
  });

  return router;
}
