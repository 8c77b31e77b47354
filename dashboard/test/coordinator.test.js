// The dashboard on a coordinating chain, in headless Chromium: region 1's chain and the
// coordinator mine, a relay registers the region through the coordinator's council and relays
// its headers; the page shows each region's best and confirmed header and its records as the
// coordinator has them at the block the page names.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { options } from '../../clients/js/src/definitions.js';
import { nodeBinary, startNode, waitFor } from '../../clients/js/test/devnode.js';
import { openDashboard } from './browser.js';
import { grid, roleName } from '../src/view.js';

const MINUTE = 60_000;
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

let region;
let coordinator;
let relay;
let api;
let dashboard;
let page;
let pageErrors;

before(async () => {
  const miner = () => ['--validator', '--tmp', '--author', ALICE, '--mining-duty-cycle', '25', '--node-key', randomBytes(32).toString('hex')];
  region = await startNode('region-1', ['--chain', 'region-1', ...miner()]);
  coordinator = await startNode('coordinator', ['--chain', 'coordinator', ...miner()]);
  relay = spawn(nodeBinary(), ['relay', '--region', '1',
    '--region-rpc', region.url.replace('ws://', 'http://'), '--coordinator-rpc', coordinator.url.replace('ws://', 'http://'),
    '--signer', '//Ferdie', '--poll-ms', '1000', '--register-with-council', '//Alice,//Bob,//Charlie'], { stdio: 'ignore' });
  api = await ApiPromise.create({ provider: new WsProvider(coordinator.url), ...options, noInitWarn: true });
  dashboard = await openDashboard(coordinator.url);
  ({ page, pageErrors } = dashboard);
});

after(async () => {
  relay?.kill();
  await dashboard?.close();
  await api?.disconnect();
  await coordinator?.stop();
  await region?.stop();
});

/** The coordinator's panels as the page shows them. */
function shown () {
  return page.evaluate(() => {
    const rows = (id) => [...document.querySelectorAll(`#${id} tbody tr`)].map((row) => ({
      ...row.dataset,
      cells: [...row.cells].map((cell) => cell.textContent.trim()),
      titles: [...row.cells].map((cell) => cell.title)
    }));
    return {
      hash: document.body.dataset.hash,
      role: document.getElementById('role').textContent.trim(),
      shownRole: document.body.dataset.role,
      error: document.getElementById('error').textContent.trim(),
      regions: rows('regions'),
      records: rows('records')
    };
  });
}

test('the dashboard shows the coordinator\'s regions as the chain has them', { timeout: 20 * MINUTE }, async () => {
  const view = await waitFor('a confirmed header of region 1 on the page', 15 * MINUTE, async () => {
    const view = await shown();
    return view.hash && view.regions.some((row) => Number(row.cells[2].slice(1)) >= 1) ? view : undefined;
  });
  const at = view.hash;
  const call = async (section, method, ...params) => (await api.rpc[section][method](...params, at)).toJSON();
  assert.equal(view.error, '');
  assert.equal(view.shownRole, 'coordinator');
  assert.equal(view.role, roleName(await call('shardProxy', 'chainRole')));
  const regions = await call('shardProxy', 'regions');
  assert.deepEqual(view.regions.map(({ cells, titles }) => [cells[0], cells[1], titles[1], cells[2], titles[2], cells[3]]),
    regions.map((r) => [`${r.region}`, `#${r.best.number}`, r.best.hash, `#${r.confirmed.number}`, r.confirmed.hash, `${r.headers}`]));
  const records = (await Promise.all(regions.map(({ region }) => call('shardProxy', 'records', region, null, 10)))).flat();
  assert.deepEqual(view.records.map(({ cells }) => cells),
    records.map(({ region, status, record }) => [`${region}`, `${record.period}`, status, `${record.orders}`, `${record.energyDelivered}`, grid(record.paid)]));
  console.log(`[dashboard] the coordinator: the page shows region 1 confirmed at ${view.regions[0].cells[2]} and ${records.length} records as the chain has them`);
  assert.deepEqual(pageErrors, []);
});
