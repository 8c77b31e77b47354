// A whole trading period on a dev node through this package and @polkadot/api alone: a new
// household applies with its meter key's proof and is approved; two providers offer, two
// households request; with the node's off-chain worker off, this client solves the snapshot
// and submits the solution as a general transaction; both meters of each order report as
// general transactions; the providers apply for settlement; every order is paid out, and the
// payments add up. The chain's refusals of bad readings and solutions come back named, and
// @polkadot/api warns about nothing.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import * as gridshard from '../src/index.js';
import { startDevNode, waitFor } from './devnode.js';

const PERIOD_BLOCKS = 20;
const MILLI_GRID = 1_000_000_000n;
const GRID = 1_000n * MILLI_GRID;
const MINUTE = 60_000;

// Everything @polkadot/api (or anything else) prints as a warning or error during the tests,
// kept here instead of printed; a test that fails on them shows them.
const warnings = [];
const consoleWarn = console.warn;
const consoleError = console.error;

let node;
let provider;
let api;
let keyring;

before(async () => {
  console.warn = (...args) => warnings.push(args.join(' '));
  console.error = (...args) => warnings.push(args.join(' '));
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  // Blocks every 1.5 s on average; no off-chain worker, so only this client solves.
  node = await startDevNode('period', ['--offchain-worker', 'never', '--simulated-mining-mean-ms', '1500']);
  provider = new WsProvider(node.url);
  api = await ApiPromise.create({ provider, ...gridshard.options });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  console.warn = consoleWarn;
  console.error = consoleError;
});

const best = async () => (await api.rpc.chain.getHeader()).number.toNumber();
const rpc = async (section, method, ...params) => (await api.rpc[section][method](...params)).toJSON();

/** Signs and sends `tx` with `pair`; resolves to the block hash once included, rejects on failure. */
function send (tx, pair) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(pair, ({ status, dispatchError }) => {
      if (dispatchError) {
        const reason = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule).method : dispatchError.toString();
        reject(new Error(`${tx.method.section}.${tx.method.method} failed: ${reason}`));
      } else if (status.isInBlock) {
        resolve(status.asInBlock.toHex());
      }
    }).catch(reject);
  });
}

/** For each request row the allowed offer row of most weight that still has room, or null. */
function greedy (snapshot) {
  const room = [...snapshot.capacities];
  const order = snapshot.requests.map((energy, row) => [energy, row]).sort((a, b) => b[0] - a[0]);
  const assignment = snapshot.requests.map(() => null);
  for (const [energy, request] of order) {
    const choices = snapshot.pairs.filter(([r, offer]) => r === request && room[offer] >= energy);
    if (!choices.length) continue;
    const [, offer] = choices.reduce((a, b) => (b[2] > a[2] ? b : a));
    room[offer] -= energy;
    assignment[request] = offer;
  }
  return assignment;
}

/** The refusal `promise` rejects with; fails if it resolves. */
async function refused (promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof gridshard.Refusal, `not a refusal: ${error}`);
    return error;
  }
  assert.fail('the chain took it');
}

test('the documented reading bytes are what the package encodes', () => {
  const doc = readFileSync(new URL('../../../docs/feeless-transactions.md', import.meta.url), 'utf8');
  const documented = doc.match(/^reading {2}(.*)$/m)[1].replace(/\s/g, '');
  const encoded = gridshard.reading(api, { order: 7, side: 'User', energy: 4000, sequence: 2, isFinal: false });
  assert.equal(encoded.toHex(), `0x${documented}`);
});

test('without the bundle @polkadot/api warns; with it, it does not', async () => {
  const from = warnings.length;
  const plain = await ApiPromise.create({ provider: new WsProvider(node.url) });
  await plain.disconnect();
  const printed = warnings.splice(from).join('\n');
  assert.match(printed, /Unknown signed extensions AuthorizeCall/);
  assert.match(printed, /RPC methods not decorated: .*matching_snapshot/);
  const bundled = await ApiPromise.create({ provider: new WsProvider(node.url), ...gridshard.options });
  await bundled.disconnect();
  assert.deepEqual(warnings.slice(from), []);
});

test('a whole period runs through the package, and every payment adds up', { timeout: 20 * MINUTE }, async () => {
  const alice = keyring.addFromUri('//Alice');
  const providers = [
    { pair: keyring.addFromUri('//Eve'), meter: keyring.addFromUri('//Eve//meter'), price: 200n },
    { pair: keyring.addFromUri('//Ferdie'), meter: keyring.addFromUri('//Ferdie//meter'), price: 250n }
  ];
  const households = [
    { pair: keyring.addFromUri('//Alice//stash'), meter: keyring.addFromUri('//Alice//stash//meter'), energy: 6_000 },
    { pair: keyring.addFromUri('//Household//JS'), meter: keyring.addFromUri('//Household//JS//meter'), energy: 4_000 }
  ];
  const [, newcomer] = households;
  assert.deepEqual(await rpc('shardProxy', 'chainRole'), { standalone: null });
  const paidOut = [];
  const unsubscribe = await api.query.system.events((records) => {
    for (const { event } of records) {
      if (api.events.settlement.PaidOut.is(event)) {
        paidOut.push({ order: event.data.order.toNumber(), outcome: event.data.outcome.toJSON() });
      }
    }
  });

  // A new household: funded, applies with its meter key's proof, approved through sudo.
  await send(api.tx.balances.transferKeepAlive(newcomer.pair.address, 1_000n * GRID), alice);
  const meterId = 'MTR-JS-0001';
  await send(api.tx.registration.apply({
    role: { User: { connection: { point: 'feeder-3/house-js', voltage: 'Low' } } },
    region: 1,
    name: 'Household JS',
    meterId,
    meterKey: newcomer.meter.publicKey,
    meterKeyProof: gridshard.meterKeyProof(api, newcomer.meter, newcomer.pair.address, meterId),
    settlementCommitment: `0x${'77'.repeat(32)}`
  }), newcomer.pair);
  assert.equal((await rpc('registration', 'participant', newcomer.pair.address)).status, 'pending');
  await send(api.tx.sudo.sudo(api.tx.registration.approve(newcomer.pair.address)), alice);
  assert.equal((await rpc('registration', 'participant', newcomer.pair.address)).status, 'approved');

  // An early block of an open phase, then the book.
  const period = await waitFor('an early block of an open phase', 5 * MINUTE, async () => {
    const number = await best();
    const offset = number % PERIOD_BLOCKS;
    return number >= PERIOD_BLOCKS && offset >= 1 && offset <= 4 ? Math.floor(number / PERIOD_BLOCKS) : undefined;
  });
  await Promise.all([
    ...providers.map(({ pair, price }) => send(api.tx.matching.postOffer(price * MILLI_GRID, 10_000), pair)),
    ...households.map(({ pair, energy }) => send(api.tx.matching.postRequest(energy, 300n * MILLI_GRID), pair))
  ]);
  const book = await rpc('matching', 'book', period);
  assert.equal(book.offers.length, 2);
  assert.equal(book.requests.length, 2);

  // The solution window: this client solves the snapshot and submits its solution.
  await waitFor('the solution window', 5 * MINUTE, async () => {
    const phase = await rpc('matching', 'phase');
    return phase.period === period && phase.phase === 'solution';
  });
  const snapshot = await rpc('matching', 'snapshot');
  assert.equal(snapshot.period, period);
  const assignment = greedy(snapshot);
  const score = gridshard.solutionScore(snapshot, assignment);
  assert.equal(score.energy, 10_000n);
  const overclaimed = { energy: score.energy, weight: score.weight + 1n };
  const wrong = await refused(gridshard.submitGeneral(api, provider, gridshard.solutionTransaction(api, snapshot, assignment, overclaimed)));
  assert.deepEqual(wrong.errors, ['SolutionWrongScore'], wrong.message);
  await gridshard.submitGeneralAndWatch(api, provider, gridshard.solutionTransaction(api, snapshot, assignment));
  const adopted = await waitFor('the adoption', 5 * MINUTE, async () => {
    const adoption = await rpc('matching', 'lastAdopted');
    return adoption?.period === period ? adoption : undefined;
  });
  assert.equal(adopted.source, 'submitted');
  assert.equal(BigInt(adopted.energy), score.energy);
  assert.equal(BigInt(adopted.weight), score.weight);
  assert.equal(adopted.matched, 2);

  // Both meters of each order report, as general transactions.
  const meters = new Map([...providers, ...households].map(({ pair, meter }) => [pair.address, meter]));
  const orders = (await Promise.all(providers.map(({ pair }) => rpc('settlement', 'ordersOf', pair.address)))).flat();
  assert.equal(orders.length, 2);
  const [first] = orders;
  const unknown = await refused(gridshard.submitGeneral(api, provider, gridshard.readingTransaction(api, meters.get(first.user),
    { order: 1_000_000, side: 'User', energy: 1, sequence: 1, isFinal: false })));
  assert.deepEqual(unknown.errors, ['UnknownOrder'], unknown.message);
  const forged = await refused(gridshard.submitGeneral(api, provider, gridshard.readingTransaction(api, meters.get(first.provider),
    { order: first.id, side: 'User', energy: first.agreed, sequence: 1, isFinal: true })));
  assert.deepEqual(forged.errors, ['BadMeterSignature'], forged.message);
  for (const order of orders) {
    for (const [side, who] of [['Provider', order.provider], ['User', order.user]]) {
      const reading = { order: order.id, side, energy: order.agreed, sequence: 1, isFinal: true };
      await gridshard.submitGeneralAndWatch(api, provider, gridshard.readingTransaction(api, meters.get(who), reading));
    }
  }
  const again = await refused(gridshard.submitGeneral(api, provider, gridshard.readingTransaction(api, meters.get(first.user),
    { order: first.id, side: 'User', energy: first.agreed, sequence: 2, isFinal: true })));
  assert.deepEqual(again.errors, ['StaleSequence', 'FinalReadingAlreadySubmitted'], again.message);

  // After each delivery window its provider applies for settlement; then the payouts.
  const escrows = new Map();
  for (const order of orders) {
    await waitFor('the end of the delivery window', 5 * MINUTE, async () => (await best()) >= order.window[1]);
    const pair = providers.find(({ pair }) => pair.address === order.provider).pair;
    await send(api.tx.settlement.applyForSettlement(order.id), pair);
    const settled = await rpc('settlement', 'order', order.id);
    assert.equal(settled.status, 'settled');
    escrows.set(order.id, BigInt(settled.escrow));
  }
  for (const order of orders) {
    await waitFor('the payout', 10 * MINUTE, async () => (await rpc('settlement', 'order', order.id)) === null);
  }
  await waitFor('the payout events', MINUTE, () => paidOut.length === orders.length);
  unsubscribe();
  for (const { order, outcome } of paidOut) {
    const { agreed } = orders.find(({ id }) => id === order);
    assert.equal(outcome.rho, agreed);
    assert.equal(outcome.gamma, agreed);
    assert.equal(BigInt(outcome.penalty), 0n);
    assert.equal(BigInt(outcome.provider) + BigInt(outcome.gridFee) + BigInt(outcome.refund), escrows.get(order));
  }

  // Total issuance is every account's free and reserved balance.
  const accounts = await api.query.system.account.entries();
  const held = accounts.reduce((sum, [, { data }]) => sum + data.free.toBigInt() + data.reserved.toBigInt(), 0n);
  assert.equal(held, (await api.query.balances.totalIssuance()).toBigInt());

  // Nothing printed a warning, from connecting to the payouts.
  assert.deepEqual(warnings, []);
});
