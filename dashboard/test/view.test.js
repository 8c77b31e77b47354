// The dashboard's words and numbers, from the chain's answers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartPoints, countdown, grid, matches, meter, orderStatus, pricePerKwh, roleName } from '../src/view.js';

test('amounts and prices read as the market quotes them', () => {
  assert.equal(grid('1440000000000'), '1.44 GRID');
  assert.equal(grid('2000000000000'), '2 GRID');
  assert.equal(grid('1'), '0.000000000001 GRID');
  assert.equal(pricePerKwh('250000000000'), '250 mGRID/kWh');
  assert.equal(pricePerKwh(null), 'none');
});

test('the countdown ends at the snapshot\'s close, then at the adoption', () => {
  assert.deepEqual(countdown({ period: 4, phase: 'open' }, 82, 20, 6), { blocks: 12, end: 94, text: 'the solution window opens in 12 blocks (#94)' });
  assert.equal(countdown({ period: 4, phase: 'solution' }, 99, 20, 6).text, 'the adoption in 1 block (#100)');
});

test('each request gets its provider or the reason it has none', () => {
  const snapshot = { period: 1, requestIds: [3, 5, 8], requests: [6000, 4000, 1000], capacities: [6000], pairs: [[0, 0, 900000], [2, 0, 800000]] };
  const book = { requests: [{ id: 3, user: 'A' }, { id: 5, user: 'B' }, { id: 8, user: 'C' }] };
  const before = matches(snapshot, book, null);
  assert.deepEqual(before.map(({ reason }) => reason), ['no solution yet', 'no offer within its limit price and the grid fee', 'no solution yet']);
  const after = matches(snapshot, book, { pairs: [['A', 'P']] });
  assert.deepEqual(after.map(({ id, provider, reason }) => [id, provider, reason]), [
    [3, 'P', ''],
    [5, '', 'no offer within its limit price and the grid fee'],
    [8, '', 'the offers it may take went to other requests']
  ]);
});

test('orders, meters, roles and the chart in words and points', () => {
  assert.equal(orderStatus(null), 'paid out');
  assert.equal(orderStatus({ status: 'settled', payableAt: 74 }), 'settled, payable at #74');
  assert.equal(orderStatus({ status: 'delivering', payableAt: null }), 'delivering');
  assert.equal(meter({ energy: 6000, sequence: 3, isFinal: true }), '6000 Wh (final, #3)');
  assert.equal(meter({ energy: 0, sequence: 0, isFinal: false }), 'none');
  assert.equal(roleName({ standalone: null }), 'standalone chain');
  assert.equal(roleName({ region: 2 }), 'region 2');
  assert.equal(roleName({ coordinator: null }), 'coordinator');
  const history = [{ comprehensive: '0.4' }, { comprehensive: '1.0' }];
  assert.deepEqual(chartPoints(history, 100, 50).map(({ x, y }) => [x, y]), [[0, 30], [100, 0]]);
});
