// The dashboard in a real headless browser (Debian's Chromium) against a dev node running a
// period: the test reads the page, not the RPC, and checks that what it shows equals the chain's
// state at the block the page says it shows. Four meter clients (`gridshard-node meter`) report
// the orders' deliveries; the providers apply for settlement; the page follows the orders to
// their payouts and the reputation it gives.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ApiPromise, Keyring, WsProvider } from '@polkadot/api';
import { options } from '../../clients/js/src/definitions.js';
import { nodeBinary, startDevNode, waitFor } from '../../clients/js/test/devnode.js';
import { openDashboard } from './browser.js';
import { countdown, grid, meter, orderStatus, pricePerKwh, roleName } from '../src/view.js';

const MILLI_GRID = 1_000_000_000n;
const MINUTE = 60_000;

let node;
let api;
let dashboard;
let page;
let pageErrors;
const meters = [];

before(async () => {
  node = await startDevNode('dashboard', ['--simulated-mining-mean-ms', '1500']);
  api = await ApiPromise.create({ provider: new WsProvider(node.url), ...options, noInitWarn: true });
  dashboard = await openDashboard(node.url, { width: 1280, height: 800 });
  ({ page, pageErrors } = dashboard);
});

after(async () => {
  for (const child of meters) child.kill();
  await dashboard?.close();
  await api?.disconnect();
  await node?.stop();
});

const rpc = async (section, method, ...params) => (await api.rpc[section][method](...params)).toJSON();

/** What the page shows, read from its DOM. */
function shown () {
  return page.evaluate(() => {
    const text = (id) => document.getElementById(id).textContent.trim();
    const rows = (id) => [...document.querySelectorAll(`#${id} tbody tr`)].map((row) => ({
      ...row.dataset,
      cells: [...row.cells].map((cell) => cell.textContent.trim()),
      titles: [...row.cells].map((cell) => cell.title)
    }));
    return {
      hash: document.body.dataset.hash,
      number: Number(document.body.dataset.number),
      error: text('error'),
      role: text('role'),
      period: text('period'),
      phase: text('phase'),
      countdown: text('countdown'),
      offers: rows('offers'),
      requests: rows('requests'),
      snapshotPeriod: text('snapshot-period'),
      bestScore: text('best-score'),
      matches: rows('matches'),
      orders: rows('orders'),
      ranking: rows('ranking'),
      chartPoints: Number(document.getElementById('chart').dataset.points ?? 0)
    };
  });
}

/**
 * Waits until the page shows a block for which `ready` holds, then checks every panel against
 * the chain's state at that block; returns what the page showed.
 */
async function check (what, ready) {
  const view = await waitFor(what, 5 * MINUTE, async () => {
    const view = await shown();
    return view.hash && (await ready(view)) ? view : undefined;
  });
  const at = view.hash;
  const call = async (section, method, ...params) => (await api.rpc[section][method](...params, at)).toJSON();
  assert.equal(view.error, '', what);
  assert.equal(view.role, roleName(await call('shardProxy', 'chainRole')), what);
  const phase = await call('matching', 'phase');
  assert.equal(view.period, `${phase.period}`, what);
  assert.equal(view.phase, phase.phase, what);
  const { periodLength, solutionBlocks } = api.consts.matching;
  assert.equal(view.countdown, countdown(phase, view.number, periodLength.toNumber(), solutionBlocks.toNumber()).text, what);

  const book = await call('matching', 'book', phase.period);
  assert.deepEqual(view.offers.map(({ titles, cells }) => [titles[0], cells[1], cells[2]]),
    book.offers.map((offer) => [offer.provider, pricePerKwh(offer.price), `${offer.capacity}`]), what);
  assert.deepEqual(view.requests.map(({ titles, cells }) => [cells[0], titles[1], cells[2], cells[4]]),
    book.requests.map((request) => [`${request.id}`, request.user, `${request.energy}`, grid(request.escrow)]), what);

  const snapshot = await call('matching', 'snapshot');
  const best = await call('matching', 'bestSolution');
  assert.equal(view.snapshotPeriod, `${snapshot.period}`, what);
  assert.equal(view.bestScore, best ? `${best.energy} Wh, weight ${best.weight}` : 'none yet', what);
  assert.deepEqual(view.matches.map(({ cells }) => cells[0]), snapshot.requestIds.map(String), what);
  const served = view.matches.filter(({ titles }) => titles[3]).map(({ titles }) => [titles[1], titles[3]]);
  assert.deepEqual(served.sort(), [...(best?.pairs ?? [])].sort(), what);

  for (const row of view.orders) {
    const order = await call('settlement', 'order', Number(row.id));
    if (order === null) {
      assert.ok(['paid out', 'closed'].includes(row.status), `${what}: order ${row.id} is closed, the page says ${row.status}`);
      continue;
    }
    assert.equal(row.status, order.status, what);
    assert.deepEqual([row.titles[1], row.titles[2], row.cells[3], row.cells[6], row.cells[7], row.cells[8]],
      [order.provider, order.user, `${order.agreed}`, meter(order.providerMeter), meter(order.userMeter), orderStatus(order)], what);
  }
  const ranking = await call('reputation', 'ranking', null, 20);
  assert.deepEqual(view.ranking.map(({ provider }) => provider), ranking.map(({ provider }) => provider), what);
  const history = ranking.length ? await call('reputation', 'history', ranking[0].provider) : [];
  assert.equal(view.chartPoints, history.length, what);
  console.log(`[dashboard] ${what}: the page shows block #${view.number} as the chain has it`);
  return view;
}

/** Signs and sends `tx`; resolves once a block includes it. */
function send (tx, pair) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(pair, ({ status, dispatchError }) => {
      if (dispatchError) reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${dispatchError}`));
      else if (status.isInBlock) resolve();
    }).catch(reject);
  });
}

async function postBook (keyring) {
  await Promise.all([
    send(api.tx.matching.postOffer(200n * MILLI_GRID, 10_000), keyring.addFromUri('//Eve')),
    send(api.tx.matching.postOffer(250n * MILLI_GRID, 10_000), keyring.addFromUri('//Ferdie')),
    send(api.tx.matching.postRequest(6_000, 300n * MILLI_GRID), keyring.addFromUri('//Alice//stash')),
    // Below every price: the snapshot cannot serve it, and the page says why.
    send(api.tx.matching.postRequest(4_000, 100n * MILLI_GRID), keyring.addFromUri('//Bob//stash'))
  ]);
}

test('the dashboard shows the chain\'s state through a period', { timeout: 30 * MINUTE }, async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const period = await waitFor('an early block of an open phase', 5 * MINUTE, async () => {
    const { period, phase } = await rpc('matching', 'phase');
    const number = (await api.rpc.chain.getHeader()).number.toNumber();
    return period >= 1 && phase === 'open' && number % 20 >= 1 && number % 20 <= 6 ? period : undefined;
  });
  await check('an empty book', async () => true);
  await postBook(keyring);
  await check('the book', async (view) => view.offers.length === 2 && view.requests.length === 2);
  await check('the best solution', async (view) => view.period === `${period}` && view.phase === 'solution' && view.bestScore !== 'none yet');

  // The orders, through delivery: every meter reports by its own client.
  const orders = await waitFor('the orders', 5 * MINUTE, async () => {
    const orders = (await Promise.all(['//Eve', '//Ferdie'].map((uri) => rpc('settlement', 'ordersOf', keyring.addFromUri(uri).address)))).flat();
    return orders.length ? orders : undefined;
  });
  assert.equal(orders.length, 1, 'one request is priced out');
  for (const [uri, extra] of [['//Eve', ['--simulate-watts', '20000000']], ['//Ferdie', ['--simulate-watts', '20000000']],
    ['//Alice//stash', ['--simulate-watts', '20000000']], ['//Bob//stash', ['--simulate-watts', '20000000']]]) {
    meters.push(spawn(nodeBinary(), ['meter', '--rpc', node.url.replace('ws://', 'http://'), '--account', keyring.addFromUri(uri).address,
      '--meter-key', `${uri}//meter`, '--poll-ms', '500', ...extra], { stdio: 'ignore' }));
  }
  await check('an order delivering', async (view) => view.orders.some(({ status }) => status === 'delivering'));
  const [order] = orders;
  await waitFor('both final readings', 5 * MINUTE, async () => {
    const now = await rpc('settlement', 'order', order.id);
    return now.providerMeter.isFinal && now.userMeter.isFinal;
  });
  const provider = [keyring.addFromUri('//Eve'), keyring.addFromUri('//Ferdie')].find(({ address }) => address === order.provider);
  await send(api.tx.settlement.applyForSettlement(order.id), provider);
  await check('the order settled', async (view) => view.orders.some(({ status }) => status === 'settled'));
  const { outcome } = await rpc('settlement', 'order', order.id);
  const paidOut = await check('the payout', async (view) => view.orders.some(({ status }) => status === 'paid out'));
  const row = paidOut.orders.find(({ id }) => id === `${order.id}`);
  assert.deepEqual([row.status, row.titles[1], row.titles[2], row.cells[9]], ['paid out', order.provider, order.user, grid(outcome.provider)]);

  // The reputation the delivery gives, once the payout's period has ended; a new book.
  await check('the ranking and the chart', async (view) => view.ranking.length >= 1 && view.chartPoints >= 1);
  await waitFor('an open phase', 5 * MINUTE, async () => (await rpc('matching', 'phase')).phase === 'open');
  await postBook(keyring);
  await check('the next book', async (view) => view.offers.length === 2 && view.chartPoints >= 1);
  if (process.env.DASHBOARD_SCREENSHOT) {
    await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT, fullPage: true });
    console.log(`[dashboard] screenshot in ${process.env.DASHBOARD_SCREENSHOT}`);
  }
  assert.deepEqual(pageErrors, []);
});
