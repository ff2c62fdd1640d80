import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

// bin/athena-sim.mjs runs dist/ when built; the source is spawned here so the test checks this tree.
const CLI = ['--import', 'tsx', 'src/testing/cli.ts'];

describe('athena-sim CLI', () => {
  it('prints rest, gateway and token first, serves, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [...CLI, '--guilds', '50', '--port', '0', '--token', 'T0k', '--seed', 'cli'],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    );
    try {
      const lines: string[] = [];
      const reader = createInterface({ input: child.stdout! });
      for await (const line of reader) {
        lines.push(line);
        if (lines.length === 3) break;
      }
      assert.match(lines[0], /^rest: http:\/\/127\.0\.0\.1:\d+\/api\/v10$/);
      assert.match(lines[1], /^gateway: ws:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lines[2], 'token: T0k');
      const rest = lines[0].slice('rest: '.length);
      const res = await fetch(`${rest}/gateway`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { url: string }).url, lines[1].slice('gateway: '.length));
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  for (const [args, message] of [
    [['--port', '0'], /--guilds is required/],
    [['--guilds', 'many'], /--guilds must be an integer/],
    [['--guilds', '5', '--port', '70000'], /--port must be an integer/],
    [['--guilds', '5', '--bogus', '1'], /unknown option --bogus/],
    [['--guilds', '5', '--traffic', '0'], /--traffic must be a positive number/]
  ] as const) {
    it(`rejects ${args.join(' ')} with a clear error`, async () => {
      const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const [code] = await once(child, 'exit');
      assert.equal(code, 2);
      assert.match(stderr, message);
    });
  }

  it('uses "simulator" as the default token', async () => {
    const child = spawn(process.execPath, [...CLI, '--guilds', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const reader = createInterface({ input: child.stdout! });
      const lines: string[] = [];
      for await (const line of reader) {
        lines.push(line);
        if (lines.length === 3) break;
      }
      assert.equal(lines[2], 'token: simulator');
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
