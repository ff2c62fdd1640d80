/**
 * Every dispatch handler by event name: where a gateway frame becomes a cache entry and a user
 * event. The Client looks the event up here; unknown events are emitted as `unknown`.
 */
import { channelHandlers } from './channels.js';
import type { DispatchHandler } from './context.js';
import { guildHandlers } from './guilds.js';
import { memberHandlers } from './members.js';
import { messageHandlers } from './messages.js';
import { roleHandlers } from './roles.js';
import { userHandlers } from './users.js';
import { voiceHandlers } from './voice.js';

export type { CachedChannel, DispatchContext, DispatchHandler } from './context.js';
export { MalformedDispatchError } from './payload.js';

/** Events the client acknowledges but that change no cache and emit nothing of their own. */
const SILENT: DispatchHandler = () => {};

/** Every dispatch handler, by gateway event name. */
export const dispatchHandlers: ReadonlyMap<string, DispatchHandler> = new Map(
  Object.entries({
    ...guildHandlers,
    ...memberHandlers,
    ...roleHandlers,
    ...channelHandlers,
    ...messageHandlers,
    ...voiceHandlers,
    ...userHandlers,
    RESUMED: SILENT
  })
);
