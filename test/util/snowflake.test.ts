import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareSnowflakes,
  isSnowflake,
  makeSnowflake,
  shardForGuild,
  snowflakeTimestamp
} from '../../src/util/snowflake.js';

test('snowflake round-trips a timestamp', () => {
  const ms = Date.UTC(2024, 0, 1);
  assert.equal(snowflakeTimestamp(makeSnowflake(ms, 7)), ms);
});

test('shardForGuild follows (id >> 22) % n', () => {
  const id = '175928847299117063';
  assert.equal(shardForGuild(id, 16), Number((BigInt(id) >> 22n) % 16n));
});

test('isSnowflake rejects non-decimal and oversized values', () => {
  assert.equal(isSnowflake('123'), true);
  assert.equal(isSnowflake('18446744073709551616'), false);
  assert.equal(isSnowflake('12a'), false);
  assert.equal(isSnowflake(123), false);
});

test('compareSnowflakes orders numerically', () => {
  assert.ok(compareSnowflakes('9', '10') < 0);
  assert.ok(compareSnowflakes('20', '19') > 0);
  assert.equal(compareSnowflakes('5', '5'), 0);
});
