/**
 * Reads a request body the way Discord accepts it: JSON, multipart/form-data (files plus
 * `payload_json`) or application/x-www-form-urlencoded, at most 25 MiB.
 */
import type { IncomingMessage } from 'node:http';
import { discordError, invalidForm, RestHttpError } from './errors.js';

export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export interface ParsedBody {
  value: unknown;
  files: number;
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new RestHttpError(413, 40005, 'Request entity too large');
  return Buffer.concat(chunks);
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (raw.length === 0) return { value: undefined, files: 0 };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return { value: JSON.parse(raw.toString('utf8')), files: 0 };
    } catch {
      throw discordError(50109);
    }
  }
  if (type === 'multipart/form-data') return parseMultipart(raw, contentType!);
  if (type === 'application/x-www-form-urlencoded') {
    return { value: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: 0 };
  }
  throw invalidForm({
    _root: [
      'CONTENT_TYPE_INVALID',
      `Expected "Content-Type" header to be one of {'application/json', 'multipart/form-data', 'application/x-www-form-urlencoded'}.`
    ]
  });
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<ParsedBody> {
  let form: FormData;
  try {
    // The platform's own multipart parser, so the simulator does not hand-roll one.
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw invalidForm({ _root: ['MULTIPART_INVALID', 'Could not parse multipart body.'] });
  }
  let value: unknown;
  let files = 0;
  for (const [name, entry] of form.entries()) {
    if (name === 'payload_json' && typeof entry === 'string') {
      try {
        value = JSON.parse(entry);
      } catch {
        throw discordError(50109);
      }
    } else if (typeof entry !== 'string') {
      files++;
    } else if (value === undefined || typeof value === 'object') {
      // Plain form fields act like JSON fields when there is no payload_json.
      value = { ...((value as Record<string, unknown>) ?? {}), [name]: entry };
    }
  }
  return { value, files };
}
