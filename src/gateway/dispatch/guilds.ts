/** READY, GUILD_CREATE/UPDATE/DELETE, GUILD_EMOJIS_UPDATE: guilds enter, change and leave the cache. */
import type { APIEmoji } from 'discord-api-types/v10';
import { ChannelStore } from '../../structures/channels/ChannelStore.js';
import { Col, STRIDE } from '../../structures/channels/ChannelTable.js';
import { ID_UNPACKED } from '../../structures/compactID.js';
import type { Guild, GuildPayload } from '../../structures/Guild.js';
import { MemberStore } from '../../structures/members/MemberStore.js';
import type { UserPayload } from '../../structures/User.js';
import { ChannelGuildMap } from './ChannelGuildMap.js';
import type { DispatchContext, DispatchHandler } from './context.js';
import { arrayField, asPayload, idField, objectField } from './payload.js';

const READY: DispatchHandler = (ctx, data, shard) => {
  const d = asPayload('READY', data);
  const self = objectField('READY', d, 'user');
  idField('READY', self, 'id');
  ctx.user = ctx.users.update(self as unknown as UserPayload);
  for (const entry of arrayField(d, 'guilds')) {
    const id = (entry as { id?: unknown })?.id;
    if (typeof id === 'string') ctx.unavailableGuilds.set(id, shard.id);
  }
};

/**
 * Remember which guild each channel and thread of a new guild belongs to. The default map takes
 * this as a deferred fill (ChannelGuildMap.defer): it maps the guild's stores as they are when it
 * runs (at the map's first read, or in the background once the burst is over), so a GUILD_CREATE
 * burst pays nothing for the index.
 * Not with a bounded guilds cache: it evicts without a GUILD_DELETE, and a deferred fill would
 * keep an evicted guild alive.
 */
function mapChannels(ctx: DispatchContext, guild: Guild): void {
  const map = ctx.channelGuildMap;
  if (map instanceof ChannelGuildMap && ctx.guilds.limit === Number.POSITIVE_INFINITY) {
    map.defer(guild, fillGuildChannels);
  } else fillGuildChannels(map, guild);
}

/**
 * A guild's channels and threads into the map. Its threads collection is only read when it exists
 * (a guild's threads store is made on first use): threads added later are `set` one by one.
 */
function fillGuildChannels(map: Map<string, string>, guild: Guild): void {
  mapStore(map, guild.channels, guild.id);
  if (guild.threadsMade) mapStore(map, guild.threads, guild.id);
}

/**
 * Every id of one store to `guildID`. The default stores hand their packed id words straight to
 * the default map (no id string built and parsed again per channel); anything else goes by key.
 */
function mapStore(map: Map<string, string>, store: Map<string, unknown>, guildID: string): void {
  if (!(store instanceof ChannelStore) || !(map instanceof ChannelGuildMap)) {
    for (const id of store.keys()) map.set(id, guildID);
    return;
  }
  if (store.size === 0) return;
  const table = store.table;
  const words = table.words;
  for (let slot = 0, row = 0; slot < table.used; slot++, row += STRIDE) {
    if (table.isDead(slot)) continue;
    const high = words[row + Col.IdHigh]!;
    if (high === ID_UNPACKED) map.set(table.idAt(slot), guildID);
    else map.setPacked(high, words[row + Col.IdLow]!, guildID);
  }
}

function forgetGuild(ctx: DispatchContext, guild: Guild): void {
  const map = ctx.channelGuildMap;
  // A fill still deferred has written nothing: dropping it is the whole removal.
  if (!(map instanceof ChannelGuildMap && map.cancel(guild))) {
    for (const id of guild.channels.keys()) map.delete(id);
    if (guild.threadsMade) for (const id of guild.threads.keys()) map.delete(id);
  }
  ctx.guilds.remove(guild);
}

/**
 * A removed guild's members stop counting against `cache.memberBudget` (the budget's ring would
 * otherwise keep the whole guild alive until its hand came round). Called once the removal's event
 * has run, so its listeners still see the members.
 */
function releaseBudgetedMembers(guild: Guild): void {
  if (guild.members instanceof MemberStore && guild.members.budgeted) guild.members.clear();
}

const GUILD_CREATE: DispatchHandler = (ctx, data, shard) => {
  const d = asPayload('GUILD_CREATE', data) as unknown as GuildPayload;
  const id = idField('GUILD_CREATE', d as unknown as Record<string, unknown>, 'id');
  if (d.unavailable === true) {
    const known = ctx.guilds.get(id);
    if (known) known.unavailable = true;
    const wasUnavailable = ctx.unavailableGuilds.has(id);
    ctx.unavailableGuilds.set(id, shard.id);
    if (!wasUnavailable && !known) ctx.emit('unavailableGuildCreate', { id, unavailable: true });
    return;
  }
  const wasUnavailable = ctx.unavailableGuilds.delete(id);
  // A guild that comes back after an outage is rebuilt from the full payload, as Eris does.
  const previous = ctx.guilds.get(id);
  if (previous) {
    forgetGuild(ctx, previous);
    releaseBudgetedMembers(previous);
  }
  const guild = ctx.guilds.add(d, ctx, true);
  mapChannels(ctx, guild);
  if (wasUnavailable || previous) {
    // Lazy loading after READY emits nothing (Eris); an outage ending after ready is guildAvailable.
    if (shard.guildsReceived) ctx.emit('guildAvailable', guild);
  } else {
    ctx.emit('guildCreate', guild);
  }
};

const GUILD_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_UPDATE', data) as unknown as GuildPayload;
  const guild = ctx.guilds.get(idField('GUILD_UPDATE', d as unknown as Record<string, unknown>, 'id'));
  if (!guild) return;
  const old = ctx.listenerCount('guildUpdate') > 0 ? snapshotGuild(guild) : null;
  guild.update(d);
  ctx.emit('guildUpdate', guild, old);
};

function snapshotGuild(guild: Guild): Record<string, unknown> {
  return {
    name: guild.name,
    icon: guild.icon,
    ownerID: guild.ownerID,
    features: guild.features,
    afkChannelID: guild.afkChannelID,
    systemChannelID: guild.systemChannelID,
    verificationLevel: guild.verificationLevel,
    premiumTier: guild.premiumTier,
    description: guild.description,
    banner: guild.banner
  };
}

const GUILD_DELETE: DispatchHandler = (ctx, data, shard) => {
  const d = asPayload('GUILD_DELETE', data);
  const id = idField('GUILD_DELETE', d, 'id');
  const guild = ctx.guilds.get(id);
  if (d.unavailable === true) {
    // An outage: keep what we know, mark it, and wait for its GUILD_CREATE.
    ctx.unavailableGuilds.set(id, shard.id);
    if (guild) {
      guild.unavailable = true;
      ctx.emit('guildUnavailable', guild);
    }
    return;
  }
  ctx.unavailableGuilds.delete(id);
  if (!guild) return;
  forgetGuild(ctx, guild);
  ctx.emit('guildDelete', guild);
  releaseBudgetedMembers(guild);
};

const GUILD_EMOJIS_UPDATE: DispatchHandler = (ctx, data) => {
  const d = asPayload('GUILD_EMOJIS_UPDATE', data);
  const guild = ctx.guilds.get(idField('GUILD_EMOJIS_UPDATE', d, 'guild_id'));
  if (!guild) return;
  const old = ctx.listenerCount('guildEmojisUpdate') > 0 ? [...guild.emojis.values()] : null;
  // The array is the complete new list: replace.
  guild.emojis.clear();
  for (const emoji of arrayField(d, 'emojis') as APIEmoji[]) {
    if (typeof emoji?.id === 'string') guild.emojis.add({ ...emoji, id: emoji.id }, guild);
  }
  ctx.emit('guildEmojisUpdate', guild, [...guild.emojis.values()], old);
};

export const guildHandlers: Record<string, DispatchHandler> = {
  READY,
  GUILD_CREATE,
  GUILD_UPDATE,
  GUILD_DELETE,
  GUILD_EMOJIS_UPDATE
};
