import 'server-only';
import { apiUrl } from './api.ts';

const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'cookie', 'authorization', 'accept'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'set-cookie', 'retry-after', 'cache-control', 'etag'];

/**
 * Passes a browser's request to the API and its answer back, so the site and the API share one
 * origin for cookies (the session) without CORS. Streams the body both ways: uploads are not held
 * in memory here, and the API's own size limits answer.
 */
export async function proxyToApi(request: Request, path: string): Promise<Response> {
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  const url = `${apiUrl()}${path}${new URL(request.url).search}`;
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let answer: Response;
  try {
    answer = await fetch(url, {
      method: request.method,
      headers,
      ...(hasBody ? { body: request.body, duplex: 'half' } : {}),
      redirect: 'manual',
    } as RequestInit);
  } catch {
    return Response.json(
      { errors: [{ message: 'the soundedit API cannot be reached', extensions: { code: 'UNREACHABLE' } }] },
      { status: 502 },
    );
  }
  const out = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    if (name === 'set-cookie') for (const c of answer.headers.getSetCookie()) out.append('set-cookie', c);
    else {
      const value = answer.headers.get(name);
      if (value) out.set(name, value);
    }
  }
  return new Response(answer.body, { status: answer.status, headers: out });
}
