// Bundles the dashboard into `dist/`: one script with its npm packages, the page and its style.
// Nothing is loaded from the internet when the page runs.

import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';

const dist = new URL('./dist/', import.meta.url);
await mkdir(dist, { recursive: true });
await build({
  entryPoints: [new URL('./src/main.js', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  outfile: new URL('main.js', dist).pathname,
  logLevel: 'warning'
});
for (const file of ['index.html', 'style.css']) {
  await copyFile(new URL(`./src/${file}`, import.meta.url), new URL(file, dist));
}
console.error(`[dashboard] built ${dist.pathname}`);
