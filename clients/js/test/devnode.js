// Starting a `gridshard-node` for a test, on free ports, killed when the test ends.

import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = resolve(fileURLToPath(import.meta.url), '../../../..');

/** The node binary: `$GRIDSHARD_NODE`, else the release build in `$CARGO_TARGET_DIR`. */
export function nodeBinary () {
  if (process.env.GRIDSHARD_NODE) return process.env.GRIDSHARD_NODE;
  const target = process.env.CARGO_TARGET_DIR ?? join(repository, 'target');
  return join(target, 'release', 'gridshard-node');
}

/** A free TCP port on localhost. */
export function freePort () {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 250 ms until it returns something other than undefined/false. */
export async function waitFor (what, timeoutMs, check) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Starts a `--dev --tmp` node with `args`, as {@link startNode}. */
export function startDevNode (name, args) {
  return startNode(name, ['--dev', '--tmp', ...args]);
}

/**
 * Starts a node with `args` on free ports; resolves to `{ url, log, stop }` once it listens. Its
 * log goes to a temporary file, named in test failures.
 */
export async function startNode (name, args) {
  const [rpc, p2p] = [await freePort(), await freePort()];
  const log = join(tmpdir(), `gridshard-js-${name}-${rpc}.log`);
  const child = spawn(
    nodeBinary(),
    [...args, '--rpc-port', `${rpc}`, '--port', `${p2p}`, '--no-prometheus', '--no-mdns', '--no-telemetry'],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  child.stderr.pipe(createWriteStream(log));
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  await waitFor(`the node's RPC (log: ${log})`, 60_000, async () => {
    if (exited !== null) throw new Error(`the node exited with ${exited}; log: ${log}`);
    try {
      const response = await fetch(`http://127.0.0.1:${rpc}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] })
      });
      return response.ok;
    } catch {
      return false;
    }
  });
  return {
    url: `ws://127.0.0.1:${rpc}`,
    log,
    stop: () => new Promise((resolve) => {
      if (exited !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    })
  };
}
