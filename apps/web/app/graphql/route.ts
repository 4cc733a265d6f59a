import { proxyToApi } from '../../lib/proxy.ts';

export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return proxyToApi(request, '/graphql');
}
