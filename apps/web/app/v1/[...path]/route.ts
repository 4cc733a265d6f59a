import { proxyToApi } from '../../../lib/proxy.ts';

export const dynamic = 'force-dynamic';

export async function POST(
  request: Request,
  context: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await context.params;
  return proxyToApi(request, `/v1/${path.map(encodeURIComponent).join('/')}`);
}
