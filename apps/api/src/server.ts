import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { SCHEMA_SDL } from '@soundedit/graphql/sdl';
import type { BlobStore, Db, EditDispatcher, EventBus } from '@soundedit/service';
import express from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { RateLimiter } from './auth/rate-limiter.ts';
import { identify, type HeaderBag } from './auth/identify.ts';
import type { ApiContext } from './context.ts';
import { costLimit, depthLimit } from './http/query-limits.ts';
import { restRoutes } from './http/routes.ts';
import { DEFAULT_API_LIMITS, type ApiLimits } from './limits.ts';
import type { PackCatalog } from './packs/pack-catalog.ts';
import { resolvers } from './resolvers/index.ts';

export const TYPE_DEFS = SCHEMA_SDL;

export interface ApiServerOptions {
  db: Db;
  blobs: BlobStore;
  bus: EventBus;
  packs: PackCatalog;
  /** Signs web session cookies; keep it stable across restarts. */
  sessionSecret: string;
  limits?: Partial<ApiLimits>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Base of the URLs the API hands out; defaults to the address it listens on. */
  publicUrl?: string;
  /** Production: no introspection, no stack traces, internal errors masked. */
  production?: boolean;
  /** Announces stored edits to the workers; default: nothing (workers poll the database). */
  dispatcher?: EditDispatcher;
}

export interface ApiServer {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  httpServer: Server;
  /** Stops taking requests, lets the running ones finish, closes subscriptions. */
  close(): Promise<void>;
}

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

/** Apollo Server + graphql-ws on one HTTP server, with the REST routes beside them. */
export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const limits: ApiLimits = { ...DEFAULT_API_LIMITS, ...o.limits };
  const rateLimiter = new RateLimiter(limits.perMinute, limits.burst);
  const schema = makeExecutableSchema({ typeDefs: TYPE_DEFS, resolvers });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  let publicUrl = o.publicUrl ?? '';

  const contextFor = async (headers: HeaderBag): Promise<ApiContext> => {
    let identity;
    try {
      identity = await identify(o.db, headers, o.sessionSecret);
    } catch (e) {
      if (e instanceof GraphQLError) {
        const code = String(e.extensions['code']);
        throw new GraphQLError(e.message, {
          extensions: { ...e.extensions, http: { status: HTTP_STATUS[code] ?? 400 } },
        });
      }
      throw e;
    }
    return {
      db: o.db,
      blobs: o.blobs,
      bus: o.bus,
      packs: o.packs,
      limits,
      rateLimiter,
      publicUrl,
      ...identity,
      dispatch: (id) => o.dispatcher?.dispatch(id) ?? Promise.resolve(),
    };
  };

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      schema,
      validate: undefined,
      context: async (ctx) => {
        const p = ctx.connectionParams ?? {};
        const headers: HeaderBag = {
          cookie: ctx.extra.request.headers.cookie,
          authorization: typeof p['authorization'] === 'string' ? p['authorization'] : undefined,
        };
        return contextFor(headers);
      },
    },
    wsServer,
  );

  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.['code'];
    if (o.production && (code === 'INTERNAL_SERVER_ERROR' || code === undefined)) {
      console.error(error);
      return {
        message: 'the server failed to handle this request',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      };
    }
    return formatted;
  };

  const apollo = new ApolloServer<BaseContext & ApiContext>({
    schema,
    // The process owns its signals: main.ts stops the workers and the database after Apollo.
    stopOnTerminationSignals: false,
    introspection: !o.production,
    includeStacktraceInErrorResponses: !o.production,
    validationRules: [depthLimit(limits.maxQueryDepth), costLimit(limits.maxQueryCost, limits.maxPageSize)],
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.use(
    restRoutes({
      db: o.db,
      blobs: o.blobs,
      sessionSecret: o.sessionSecret,
      secureCookies: Boolean(o.production),
      contextFor,
    }),
  );
  app.use(
    '/graphql',
    express.json({ limit: `${Math.ceil((limits.sound.maxBytes * 4) / 3 / 1024) + 64}kb` }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const headers: HeaderBag = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        return contextFor(headers);
      },
    }),
  );
  app.get('/health', (_req, res) => void res.json({ ok: true }));
  // A body that is not JSON, or too large, answers in GraphQL's shape.
  app.use(
    (
      err: { status?: number; type?: string; message?: string },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!err) return next();
      const status = err.status ?? 500;
      const code =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 400 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
      res.status(status).json({
        errors: [
          {
            message:
              status === 500 ? 'the server failed to handle this request' : (err.message ?? 'bad request'),
            extensions: { code },
          },
        ],
      });
    },
  );

  await new Promise<void>((resolve) => httpServer.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (!publicUrl) publicUrl = `http://${host}:${address.port}`;
  return {
    url: publicUrl,
    graphqlUrl: `${publicUrl}/graphql`,
    wsUrl: `${publicUrl.replace(/^http/, 'ws')}/graphql`,
    httpServer,
    close: () => apollo.stop(),
  };
}
