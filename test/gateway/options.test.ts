import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveGatewayOptions } from '../../src/gateway/index.js';
import { Intents, InvalidOptionError } from '../../src/util/index.js';

describe('resolveGatewayOptions', () => {
  test('defaults and normalisation', () => {
    const o = resolveGatewayOptions({});
    assert.equal(o.maxShards, 'auto');
    assert.equal(o.compress, null);
    assert.equal(o.intents & Intents.GuildMembers, 0, 'privileged intents are opt-in');
    assert.equal(resolveGatewayOptions({ compress: true }).compress, 'zlib-stream');
    assert.equal(resolveGatewayOptions({ intents: ['Guilds', 'GuildPresences'] }).intents, 1 | 256);
    assert.deepEqual(
      [...resolveGatewayOptions({ disableEvents: { TYPING_START: true, READY: false } }).disableEvents],
      ['TYPING_START']
    );
  });

  test('bad values throw InvalidOptionError naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ intents: ['Guilds', 'NotAnIntent'] }, 'intents'],
      [{ intents: 'Guilds' }, 'intents'],
      [{ maxShards: 0 }, 'maxShards'],
      [{ maxShards: 'many' }, 'maxShards'],
      [{ shardConcurrency: 1.5 }, 'shardConcurrency'],
      [{ compress: 'gzip' }, 'compress'],
      [{ largeThreshold: 251 }, 'largeThreshold'],
      [{ disableEvents: 'TYPING_START' }, 'disableEvents'],
      [{ disableEvents: ['typing start'] }, 'disableEvents'],
      [{ autoreconnect: 'yes' }, 'autoreconnect'],
      [{ connectionTimeout: -1 }, 'connectionTimeout'],
      [{ guildCreateTimeout: '2s' }, 'guildCreateTimeout'],
      [{ maxShards: 2, lastShardID: 2 }, 'lastShardID'],
      [{ firstShardID: 3, lastShardID: 1 }, 'lastShardID'],
      [{ presence: { status: 'busy' } }, 'presence.status'],
      [{ presence: { activities: [{ type: 0 }] } }, 'presence.activities[0].name']
    ];
    for (const [raw, option] of cases) {
      assert.throws(
        () => resolveGatewayOptions(raw as never),
        (e: unknown) => e instanceof InvalidOptionError && e.option === option,
        JSON.stringify(raw)
      );
    }
  });
});
