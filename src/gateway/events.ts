import { GatewayDispatchEvents } from 'discord-api-types/v10';

/** Dispatch names Discord documents (discord-api-types plus the newest ones of the protocol reference). */
const KNOWN_EVENTS: ReadonlySet<string> = new Set<string>([
  ...Object.values(GatewayDispatchEvents),
  'RATE_LIMITED',
  'CHANNEL_INFO',
  'VOICE_CHANNEL_STATUS_UPDATE',
  'VOICE_CHANNEL_START_TIME_UPDATE',
  'SOUNDBOARD_SOUNDS'
]);

/** Whether `t` is an event Discord documents (unknown ones are still delivered, and counted). */
export function isKnownEvent(t: string): boolean {
  return KNOWN_EVENTS.has(t);
}
