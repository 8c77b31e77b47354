// The dashboard: follows a GridShard node's best block over WebSocket RPC and, at each new
// block, reads the market at that block and shows it. Every panel shows one block's state, the
// one named in the header (`data-hash` on <body>), so that what it shows can be checked.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { options } from '../../clients/js/src/definitions.js';
import { chartPoints, countdown, grid, matches, meter, orderStatus, pricePerKwh, roleName, short } from './view.js';

/** How many of the latest orders the page follows. */
const RECENT_ORDERS = 20;

const parameters = new URLSearchParams(location.search);
const endpoint = parameters.get('rpc') ?? 'ws://127.0.0.1:9944';
const $ = (id) => document.getElementById(id);
const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cell = (text, title) => `<td${title ? ` title="${escape(title)}"` : ''}>${escape(text)}</td>`;
const account = (ss58) => cell(short(ss58), ss58);

/** Payouts seen since the page opened: order id -> `{ block, outcome }`. */
const payouts = new Map();
/** The last state seen of each order, to show a paid-out order's terms. */
const lastSeen = new Map();


function table (id, headers, rows, empty) {
  $(id).innerHTML = rows.length
    ? `<table><thead><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`
    : `<p class="empty">${escape(empty)}</p>`;
}

async function read (api, hash) {
  const at = hash.toHex();
  const call = async (section, method, ...params) => (await api.rpc[section][method](...params, at)).toJSON();
  const header = await api.rpc.chain.getHeader(at);
  const number = header.number.toNumber();
  const apiAt = await api.at(at);
  const events = await apiAt.query.system.events();
  for (const { event } of events) {
    if (api.events.settlement.PaidOut.is(event)) {
      payouts.set(event.data.order.toNumber(), { block: number, outcome: event.data.outcome.toJSON() });
    }
  }
  const role = await call('shardProxy', 'chainRole');
  const state = { at, number, role };
  if ('coordinator' in role) {
    state.regions = await call('shardProxy', 'regions');
    state.records = (await Promise.all(state.regions.map(({ region }) => call('shardProxy', 'records', region, null, 10)))).flat();
    return state;
  }
  state.phase = await call('matching', 'phase');
  state.book = await call('matching', 'book', state.phase.period);
  state.snapshot = await call('matching', 'snapshot');
  state.snapshotBook = state.snapshot.period === state.phase.period ? state.book : await call('matching', 'book', state.snapshot.period);
  state.best = await call('matching', 'bestSolution');
  state.adopted = await call('matching', 'lastAdopted');
  const next = (await apiAt.query.settlement.nextOrderId()).toNumber();
  const ids = [];
  for (let id = Math.max(0, next - RECENT_ORDERS); id < next; id++) ids.push(id);
  state.orders = await Promise.all(ids.map(async (id) => ({ id, order: await call('settlement', 'order', id) })));
  for (const { id, order } of state.orders) if (order) lastSeen.set(id, order);
  state.ranking = await call('reputation', 'ranking', null, 20);
  state.chartProvider = parameters.get('provider') ?? state.ranking[0]?.provider ?? null;
  state.history = state.chartProvider ? await call('reputation', 'history', state.chartProvider) : [];
  return state;
}

function renderMarket (api, state) {
  const periodLength = api.consts.matching.periodLength.toNumber();
  const solutionBlocks = api.consts.matching.solutionBlocks.toNumber();
  const { phase } = state;
  $('period').textContent = `${phase.period}`;
  $('phase').textContent = phase.phase;
  $('countdown').textContent = countdown(phase, state.number, periodLength, solutionBlocks).text;

  table('offers', ['provider', 'price', 'capacity (Wh)'], state.book.offers.map((offer) =>
    `<tr data-provider="${escape(offer.provider)}">${account(offer.provider)}${cell(pricePerKwh(offer.price))}${cell(offer.capacity)}</tr>`),
  'no offers yet this period');
  table('requests', ['id', 'user', 'energy (Wh)', 'limit', 'escrow'], state.book.requests.map((request) =>
    `<tr data-id="${request.id}">${cell(request.id)}${account(request.user)}${cell(request.energy)}${cell(pricePerKwh(request.limit))}${cell(grid(request.escrow))}</tr>`),
  'no requests yet this period');

  $('snapshot-period').textContent = `${state.snapshot.period}`;
  $('best-score').textContent = state.best
    ? `${state.best.energy} Wh, weight ${state.best.weight}`
    : 'none yet';
  $('adopted').textContent = state.adopted
    ? `period ${state.adopted.period}: ${state.adopted.matched} matched, ${state.adopted.unmatched} released, ${state.adopted.energy} Wh (${state.adopted.source})`
    : 'none yet';
  table('matches', ['request', 'user', 'energy (Wh)', 'provider', 'why unmatched'],
    matches(state.snapshot, state.snapshotBook, state.best).map((row) =>
      `<tr data-id="${row.id}">${cell(row.id)}${account(row.user)}${cell(row.energy)}${account(row.provider)}${cell(row.reason)}</tr>`),
    'the snapshot has no requests');

  table('orders', ['order', 'provider', 'user', 'agreed (Wh)', 'price', 'window', "provider's meter", "user's meter", 'status', 'paid to provider'],
    state.orders.map(({ id, order }) => {
      const payout = payouts.get(id);
      const terms = order ?? lastSeen.get(id);
      if (!order && !payout) return `<tr data-id="${id}" data-status="closed">${cell(id)}<td colspan="9">paid out before this page opened</td></tr>`;
      const paid = order?.outcome?.provider ?? payout?.outcome.provider;
      return `<tr data-id="${id}" data-status="${escape(order?.status ?? 'paid out')}">${cell(id)}${account(terms?.provider)}${account(terms?.user)}` +
        `${cell(terms?.agreed)}${cell(terms ? pricePerKwh(terms.price) : '')}${cell(terms ? `#${terms.window[0]}–#${terms.window[1]}` : '')}` +
        `${cell(terms ? meter(terms.providerMeter) : '')}${cell(terms ? meter(terms.userMeter) : '')}` +
        `${cell(order ? orderStatus(order) : `paid out at #${payout.block}`)}${cell(paid === undefined ? '' : grid(paid))}</tr>`;
    }).reverse(),
    'no orders yet');

  table('ranking', ['rank', 'provider', 'reputation'], state.ranking.map((entry) =>
    `<tr data-provider="${escape(entry.provider)}">${cell(entry.rank)}${account(entry.provider)}${cell(Number(entry.comprehensive).toFixed(4))}</tr>`),
  'no provider has delivered yet');
  renderChart(state);
}

function renderChart ({ chartProvider, history }) {
  const [width, height] = [480, 120];
  const points = chartPoints(history, width, height);
  $('chart-provider').textContent = chartProvider ? short(chartProvider) : 'none';
  $('chart').dataset.points = `${points.length}`;
  $('chart').innerHTML = points.length
    ? `<svg viewBox="-8 -8 ${width + 16} ${height + 16}" role="img" aria-label="reputation by period">` +
      `<line x1="0" y1="${height}" x2="${width}" y2="${height}" class="axis"/><line x1="0" y1="0" x2="0" y2="${height}" class="axis"/>` +
      `<polyline points="${points.map(({ x, y }) => `${x},${y}`).join(' ')}"/>` +
      points.map(({ x, y, value }, index) => `<circle cx="${x}" cy="${y}" r="3"><title>period ${history[index].record.period}: ${value.toFixed(4)}</title></circle>`).join('') +
      '</svg>'
    : '<p class="empty">no closed period yet</p>';
}

function renderCoordinator (state) {
  table('regions', ['region', 'best', 'confirmed', 'headers'], state.regions.map((region) =>
    `<tr data-region="${region.region}">${cell(region.region)}${cell(`#${region.best.number}`, region.best.hash)}${cell(`#${region.confirmed.number}`, region.confirmed.hash)}${cell(region.headers)}</tr>`),
  'no regions yet');
  table('records', ['region', 'period', 'status', 'orders', 'energy delivered (Wh)', 'paid'], state.records.map(({ region, status, record }) =>
    `<tr data-region="${region}" data-period="${record.period}">${cell(region)}${cell(record.period)}${cell(status)}${cell(record.orders)}${cell(record.energyDelivered)}${cell(grid(record.paid))}</tr>`),
  'no records yet');
}

function render (api, state) {
  $('number').textContent = `#${state.number}`;
  $('number').title = state.at;
  $('role').textContent = roleName(state.role);
  document.body.dataset.role = 'coordinator' in state.role ? 'coordinator' : 'market';
  if ('coordinator' in state.role) renderCoordinator(state);
  else renderMarket(api, state);
  // Last: the block every panel now shows.
  document.body.dataset.hash = state.at;
  document.body.dataset.number = `${state.number}`;
}

async function main () {
  $('endpoint').textContent = endpoint;
  const provider = new WsProvider(endpoint);
  provider.on('disconnected', () => { $('connection').textContent = 'disconnected: reconnecting…'; });
  provider.on('connected', () => { $('connection').textContent = 'connected'; });
  const api = await ApiPromise.create({ provider, ...options });
  $('chain').textContent = (await api.rpc.system.chain()).toString();
  let latest = null;
  let busy = false;
  const refresh = async () => {
    if (busy || !latest) return;
    busy = true;
    const hash = latest;
    latest = null;
    try {
      render(api, await read(api, hash));
      $('error').textContent = '';
    } catch (error) {
      $('error').textContent = `could not read block ${hash.toHex()}: ${error.message}`;
    }
    busy = false;
    refresh();
  };
  await api.rpc.chain.subscribeNewHeads((header) => {
    latest = header.hash;
    refresh();
  });
}

main().catch((error) => { $('error').textContent = `${error.message}`; });
