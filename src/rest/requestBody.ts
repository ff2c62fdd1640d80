/** Building request bodies: JSON, or multipart/form-data with files and `payload_json`. */
import { FormData } from 'undici';

/** A file to upload, as Eris takes it. */
export interface FileContent {
  name: string;
  file: Uint8Array | string;
  /** MIME type (default application/octet-stream). */
  contentType?: string;
}

export interface EncodedBody {
  body: string | FormData | undefined;
  contentType: string | undefined;
}

export function encodeBody(json: unknown, files: FileContent[] | undefined): EncodedBody {
  if (files && files.length > 0) {
    const form = new FormData();
    files.forEach((file, index) => {
      const data = typeof file.file === 'string' ? new TextEncoder().encode(file.file) : file.file;
      const blob = new Blob([data], { type: file.contentType ?? 'application/octet-stream' });
      form.append(`files[${index}]`, blob, file.name);
    });
    if (json !== undefined) {
      // Attachments reference the uploaded parts by index, as Discord requires.
      const payload =
        typeof json === 'object' && json !== null && !Array.isArray(json) && !('attachments' in json)
          ? { ...json, attachments: files.map((file, id) => ({ id, filename: file.name })) }
          : json;
      form.append('payload_json', JSON.stringify(payload));
    }
    return { body: form, contentType: undefined }; // undici sets the multipart boundary
  }
  if (json === undefined) return { body: undefined, contentType: undefined };
  return { body: JSON.stringify(json), contentType: 'application/json' };
}

/** A value of a REST query parameter. */
export type QueryValue = string | number | boolean | bigint | undefined | null | readonly (string | number | bigint)[];

/** `?a=1&id=1&id=2` — arrays repeat the key; undefined and null are left out. */
export function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
