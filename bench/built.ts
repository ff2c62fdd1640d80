/**
 * Benches that time Athena against discord.js and Eris load Athena as its users run it: the built
 * package (dist/, what `npm run build` makes), as the other libraries come from their own published
 * builds. Running the TypeScript sources through tsx instead adds its transform's helpers (a
 * `__name` call per class and closure made) and leaves more code to optimise on a cold start.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtEntry = join(root, 'dist', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function builtTime(): number {
  try {
    return statSync(builtEntry).mtimeMs;
  } catch {
    return 0;
  }
}

/** Build dist/ when it is missing or older than any file under src/ (so a bench never times stale code). */
export function ensureBuilt(): void {
  if (builtTime() >= newestSource(join(root, 'src'))) return;
  console.log('dist/ is missing or older than src/: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * The built package's entry, for `import()` in a bench's child process. ATHENA_BUILT (a path to
 * another build's dist/index.js) times that build instead: two builds compared in one session.
 */
export const BUILT_ENTRY = process.env.ATHENA_BUILT
  ? pathToFileURL(process.env.ATHENA_BUILT).href
  : new URL('../dist/index.js', import.meta.url).href;
