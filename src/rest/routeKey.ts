/**
 * Route keys for rate limiting. Discord limits per route, per method, and separately per
 * top-level resource ("major parameter": channel, guild, or webhook id + token). Before a
 * bucket hash is known, requests are grouped by `METHOD route-template`; the major parameter
 * keeps /channels/1/… and /channels/2/… apart.
 */

export interface RouteInfo {
  method: string;
  /** The path with every id replaced by a placeholder, e.g. /guilds/:guild_id/members/:id/roles/:id. */
  route: string;
  /** `METHOD route`, the key a bucket hash is learned for. */
  key: string;
  /** The major parameter value ('' when the route has none, e.g. /users/@me). */
  majorParameter: string;
  /** The path safe to show in errors and logs (webhook and interaction tokens masked). */
  displayPath: string;
}

const SNOWFLAKE = /^\d{16,20}$/;
/** Discord never deletes messages older than 14 days through the normal bucket. */
const OLD_MESSAGE_MS = 14 * 24 * 60 * 60 * 1000;
const DISCORD_EPOCH = 1420070400000n;

/** The rate-limit route key of a request: method and path with major parameters kept, other ids replaced. */
export function routeInfo(method: string, path: string, now = Date.now()): RouteInfo {
  const upper = method.toUpperCase();
  const clean = path.split('?')[0];
  const parts = clean.split('/').filter(Boolean);
  const out: string[] = [];
  const display: string[] = [];
  let majorParameter = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const previous = parts[i - 1];
    if (previous === 'reactions') {
      // Every reaction sub-route (emoji, @me, user id) shares one limit per channel.
      out.push(':reaction');
      display.push(...parts.slice(i));
      break;
    }
    if (i === 1 && (previous === 'channels' || previous === 'guilds' || previous === 'webhooks')) {
      majorParameter = part;
      out.push(`:${previous.slice(0, -1)}_id`);
      display.push(part);
      continue;
    }
    if (i === 2 && (parts[0] === 'webhooks' || parts[0] === 'interactions') && !SNOWFLAKE.test(part)) {
      // The webhook/interaction token is a credential: part of the major parameter, never shown.
      if (parts[0] === 'webhooks') majorParameter += `/${part}`;
      out.push(':token');
      display.push(':token');
      continue;
    }
    if (SNOWFLAKE.test(part)) {
      out.push(':id');
      display.push(part);
      continue;
    }
    out.push(part);
    display.push(part);
  }
  let route = `/${out.join('/')}`;
  // Deleting an old message is limited separately from deleting a recent one.
  if (upper === 'DELETE' && /^\/channels\/:channel_id\/messages\/:id$/.test(route)) {
    const messageID = parts[3];
    if (SNOWFLAKE.test(messageID) && now - Number((BigInt(messageID) >> 22n) + DISCORD_EPOCH) > OLD_MESSAGE_MS) {
      route += '/:old';
    }
  }
  return { method: upper, route, key: `${upper} ${route}`, majorParameter, displayPath: `/${display.join('/')}` };
}
