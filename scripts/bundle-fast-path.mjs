// Part of `npm run build`: bundles the fast path (src/cli/fast-path.ts and the modules it loads, not the
// npm packages) into one file. Loading one file instead of ~40 saves about 8 ms on every `oauthctl token`
// and `oauthctl get` (measured with `npm run bench`); oclif commands keep using dist/ as compiled.
import {build} from 'esbuild'

await build({
  entryPoints: ['dist/cli/fast-path.js'],
  outfile: 'dist/cli/fast-path.bundle.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
})
