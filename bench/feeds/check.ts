import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/**
 * One request with node:http on its own connection, as a calendar client's poll minutes apart
 * is: no decompression, so the bytes are the ones on the wire.
 */
export function fetchRaw(url: string, method: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `decoded`: compare the gunzipped body instead (a server that compresses on its own). */
export interface Expected { status: number; body: Buffer; decoded?: boolean; etag?: string; encoding?: string }

/**
 * Measuring a wrong answer fast proves nothing: before a load runs, the same request must
 * answer the expected status, ETag, encoding and bytes. Returns the failures, empty when right.
 */
export async function checkAnswer(url: string, method: string, headers: Record<string, string>, want: Expected): Promise<string[]> {
  const got = await fetchRaw(url, method, headers);
  const failures: string[] = [];
  if (got.status !== want.status) failures.push(`status ${got.status}, expected ${want.status}`);
  if (want.etag && got.headers.etag !== want.etag) failures.push(`ETag ${String(got.headers.etag)}, expected ${want.etag}`);
  if ((got.headers['content-encoding'] ?? undefined) !== want.encoding) failures.push(`Content-Encoding ${String(got.headers['content-encoding'])}`);
  const body = want.decoded ? gunzipSync(got.body) : got.body;
  if (!body.equals(want.body)) failures.push(`${body.length} body bytes differ from the expected ${want.body.length}`);
  return failures;
}
