import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayDispatchEvents } from 'discord-api-types/v10';
import { isKnownEvent } from '../../src/gateway/events.js';

test('isKnownEvent knows every GatewayDispatchEvents value of discord-api-types', () => {
  const missing = Object.values(GatewayDispatchEvents).filter((name) => !isKnownEvent(name));
  assert.deepEqual(missing, []);
});

test('isKnownEvent knows the protocol reference events newer than discord-api-types, and nothing else', () => {
  for (const name of ['RATE_LIMITED', 'CHANNEL_INFO', 'VOICE_CHANNEL_STATUS_UPDATE', 'SOUNDBOARD_SOUNDS']) {
    assert.equal(isKnownEvent(name), true, name);
  }
  assert.equal(isKnownEvent('NOT_AN_EVENT'), false);
  assert.equal(isKnownEvent('guild_create'), false);
  assert.equal(isKnownEvent('__proto__'), false);
});
