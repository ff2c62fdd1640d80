/** Structures: Eris's names and getters over compact fields (see docs/architecture.md). */
export * from './Base.js';
export * from './cdn.js';
export * from './channels/CategoryChannel.js';
export * from './channels/Channel.js';
// The default (columnar) stores behind guild.channels/threads and guild.members, for
// factories that want them and for `instanceof` checks.
export { ChannelStore } from './channels/ChannelStore.js';
export * from './channels/errors.js';
export * from './channels/ForumChannel.js';
export * from './channels/factory.js';
export * from './channels/GuildChannel.js';
export * from './channels/MediaChannel.js';
export * from './channels/NewsChannel.js';
export * from './channels/PrivateChannel.js';
export * from './channels/StageChannel.js';
export * from './channels/TextChannel.js';
export * from './channels/ThreadChannel.js';
export type * from './channels/types.js';
export * from './channels/VoiceChannel.js';
export type * from './context.js';
export * from './defaults.js';
export { Emoji } from './Emoji.js';
// The default (columnar) emojis collection, for factories and `instanceof` checks.
export { EmojiStore } from './emojis/EmojiStore.js';
export * from './Guild.js';
export * from './Member.js';
export * from './Message.js';
export { MemberStore, MemberStoreFullError } from './members/MemberStore.js';
export * from './Permission.js';
export * from './PermissionOverwrite.js';
export * from './Presence.js';
export * from './Role.js';
export * from './StageInstance.js';
export * from './User.js';
export { UserStore } from './users/UserStore.js';
export * from './VoiceState.js';
