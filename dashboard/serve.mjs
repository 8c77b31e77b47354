// Serves the built dashboard (`dist/`) on http://127.0.0.1:$PORT (default 8080); the page
// connects to the node named by `?rpc=ws://HOST:PORT` (default ws://127.0.0.1:9944).

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };
const files = new Set(['/index.html', '/main.js', '/main.js.map', '/style.css']);

/** Starts the server on `port` (0: any free one) and `host`; resolves to the server. */
export function serve (port, host = '127.0.0.1') {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    const file = path === '/' ? '/index.html' : path;
    if (!files.has(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    try {
      const body = await readFile(new URL(`./dist${file}`, import.meta.url));
      response.writeHead(200, { 'content-type': types[extname(file)] }).end(body);
    } catch {
      response.writeHead(500).end('run `npm run build` first');
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  await serve(port);
  console.error(`[dashboard] http://127.0.0.1:${port}/?rpc=ws://127.0.0.1:9944`);
}
