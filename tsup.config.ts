import { defineConfig } from 'tsup';

// ESM and CommonJS builds with declarations for both entry points.
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', 'testing/cli': 'src/testing/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } },
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
  splitting: false,
  shims: true,
  // Optional native modules stay the user's install, loaded at run time when present (never bundled
  // with a binary built for this machine).
  external: ['zlib-sync', 'zstd-napi', 'zstd-napi/binding.js', 'better-sqlite3', 'ioredis', 'redis']
});
