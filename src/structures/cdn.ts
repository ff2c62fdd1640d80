/** CDN image URLs, as Eris's `_formatImage` builds them. */

export const CDN_URL = 'https://cdn.discordapp.com';

/** An image format Discord's CDN serves. */
export type ImageFormat = 'jpg' | 'jpeg' | 'png' | 'webp' | 'gif';

/** Format and size of a CDN image URL. */
export interface ImageOptions {
  /** Format for static images (default 'jpg', as in Eris). */
  defaultImageFormat?: ImageFormat;
  /** Size in pixels, a power of two from 16 to 4096 (default 128, as in Eris). */
  defaultImageSize?: number;
}

/**
 * Process-wide image defaults. Kept here rather than on each structure so that a million users do
 * not each carry a pointer to the client's options; the Client sets them from its options.
 */
let defaults: ImageOptions = {};

/** Set the default format and size of CDN image URLs for this process. */
export function setImageDefaults(options: ImageOptions): void {
  defaults = { ...options };
}

const SIZES = new Set([16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);

/** `path` is an endpoint without extension, ending in the hash (`a_` prefix means animated). */
export function formatImage(path: string, format?: ImageFormat, size?: number): string {
  const options = defaults;
  const hash = path.slice(path.lastIndexOf('/') + 1);
  const chosen = format ?? (hash.startsWith('a_') ? 'gif' : (options.defaultImageFormat ?? 'jpg'));
  const px = size !== undefined && SIZES.has(size) ? size : (options.defaultImageSize ?? 128);
  return `${CDN_URL}${path}.${chosen}?size=${px}`;
}
