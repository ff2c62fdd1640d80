/**
 * Op 8 REQUEST_GUILD_MEMBERS (reference §4): answered with GUILD_MEMBERS_CHUNK dispatches of up
 * to `memberChunkSize` members, or a RATE_LIMITED dispatch when the whole list of the same guild
 * was asked for within the cooldown.
 */
import type { APIGuildMember } from 'discord-api-types/v10';
import { Intents } from '../../util/constants.js';
import { isSnowflake, shardForGuild } from '../../util/snowflake.js';
import { presencePayload } from '../world/serialize.js';
import type { Connection } from './Connection.js';
import type { GatewayServer } from './GatewayServer.js';
import type { Session } from './Session.js';

const MAX_FILTERED = 100;

export function requestGuildMembers(
  server: GatewayServer,
  _connection: Connection,
  session: Session,
  d: unknown,
  lastFullRequest: Map<string, number>
): void {
  const data = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
  const guildID = data.guild_id;
  // Requests for guilds this session does not own are ignored (and counted), never fatal.
  if (
    typeof guildID !== 'string' ||
    !server.world.hasGuild(guildID) ||
    shardForGuild(guildID, session.shard[1]) !== session.shard[0]
  ) {
    server.stats.countRejected('op8-unknown-guild');
    return;
  }
  const nonce = typeof data.nonce === 'string' && Buffer.byteLength(data.nonce) <= 32 ? data.nonce : undefined;
  const presences = data.presences === true && (session.intents & Intents.GuildPresences) !== 0;
  const rawIDs = data.user_ids;
  const userIDs = rawIDs === undefined ? undefined : Array.isArray(rawIDs) ? rawIDs : [rawIDs];
  const query = typeof data.query === 'string' ? data.query : undefined;
  const limit = Number.isInteger(data.limit) && (data.limit as number) >= 0 ? (data.limit as number) : 0;
  if (!userIDs && query === undefined) {
    server.stats.countRejected('op8-no-query');
    return;
  }

  let members: APIGuildMember[];
  let notFound: unknown[] = [];
  if (userIDs) {
    const ids = userIDs.slice(0, MAX_FILTERED);
    const valid = ids.filter((id): id is string => isSnowflake(id));
    members = server.world.searchMembers(guildID, undefined, valid, MAX_FILTERED);
    const found = new Set(members.map((m) => m.user.id));
    notFound = ids.filter((id) => !(typeof id === 'string' && found.has(id)));
  } else if (query === '' && limit === 0) {
    if (!(session.intents & Intents.GuildMembers)) {
      server.stats.countRejected('op8-missing-guild-members-intent');
      return;
    }
    const now = Date.now();
    const last = lastFullRequest.get(guildID);
    const cooldown = server.options.requestMembersCooldownMs;
    if (last !== undefined && now - last < cooldown) {
      const meta: Record<string, string> = { guild_id: guildID };
      if (nonce !== undefined) meta.nonce = nonce;
      server.dispatch(
        session,
        'RATE_LIMITED',
        JSON.stringify({ opcode: 8, retry_after: (cooldown - (now - last)) / 1000, meta })
      );
      return;
    }
    lastFullRequest.set(guildID, now);
    members = server.world.searchMembers(guildID, '', undefined, 0);
  } else {
    members = server.world.searchMembers(
      guildID,
      query,
      undefined,
      Math.min(limit === 0 ? MAX_FILTERED : limit, MAX_FILTERED)
    );
  }

  const size = server.options.memberChunkSize;
  const count = Math.max(1, Math.ceil(members.length / size));
  for (let index = 0; index < count; index++) {
    const slice = members.slice(index * size, (index + 1) * size);
    const chunk: Record<string, unknown> = {
      guild_id: guildID,
      members: slice,
      chunk_index: index,
      chunk_count: count
    };
    if (index === 0 && notFound.length > 0) chunk.not_found = notFound;
    if (presences) {
      chunk.presences = slice
        .map((m) => presencePayload(m.user.id, server.world.presenceOf(m.user.id)))
        .filter((p) => p.status !== 'offline');
    }
    if (nonce !== undefined) chunk.nonce = nonce;
    server.dispatch(session, 'GUILD_MEMBERS_CHUNK', JSON.stringify(chunk));
  }
}
