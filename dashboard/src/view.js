// What the dashboard shows, computed from the chain's answers: pure functions, no DOM.

/** Amounts are decimal strings in 10^-12 GRID: `1234500000000` -> `1.2345 GRID`. */
export function grid (amount) {
  if (amount === null || amount === undefined) return '';
  const value = BigInt(amount);
  const whole = value / 1_000_000_000_000n;
  const fraction = (value % 1_000_000_000_000n).toString().padStart(12, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} GRID`;
}

/** A price per kWh in milli-GRID, as the market quotes it. */
export function pricePerKwh (amount) {
  if (amount === null || amount === undefined) return 'none';
  const milli = BigInt(amount) * 1000n;
  const text = grid(milli.toString()).replace(' GRID', '');
  return `${text} mGRID/kWh`;
}

/** An SS58 account shortened for a table: `5GrwvaEF…oHGKutQY`. */
export function short (account) {
  return account && account.length > 16 ? `${account.slice(0, 8)}…${account.slice(-8)}` : account ?? '';
}

/**
 * The phase's countdown at block `number`: the phase `phase` of `period` (as `matching_phase`
 * answers at that block) ends at the snapshot's close (`(period + 1) L - S`) or the adoption
 * (`(period + 1) L`), `L` the period's length and `S` the solution window's.
 */
export function countdown ({ period, phase }, number, periodLength, solutionBlocks) {
  const end = (period + 1) * periodLength - (phase === 'open' ? solutionBlocks : 0);
  const blocks = Math.max(0, end - number);
  const what = phase === 'open' ? 'the solution window opens' : 'the adoption';
  return { blocks, end, text: `${what} in ${blocks} block${blocks === 1 ? '' : 's'} (#${end})` };
}

/**
 * Each request of the snapshot with the provider the best solution gives it, or why it has none.
 *
 * @param snapshot `matching_snapshot`'s answer
 * @param book `matching_book`'s answer for the snapshot's period (its requests name the users)
 * @param best `matching_bestSolution`'s answer, or null
 */
export function matches (snapshot, book, best) {
  const users = new Map(book.requests.map(({ id, user }) => [id, user]));
  const pairs = (best?.pairs ?? []).map(([user, provider]) => ({ user, provider, used: false }));
  return snapshot.requestIds.map((id, row) => {
    const user = users.get(id) ?? '';
    const pair = pairs.find((candidate) => !candidate.used && candidate.user === user);
    if (pair) {
      pair.used = true;
      return { id, user, energy: snapshot.requests[row], provider: pair.provider, reason: '' };
    }
    const allowed = snapshot.pairs.some(([request]) => request === row);
    const reason = !allowed
      ? 'no offer within its limit price and the grid fee'
      : best
        ? 'the offers it may take went to other requests'
        : 'no solution yet';
    return { id, user, energy: snapshot.requests[row], provider: '', reason };
  });
}

/** Where an order stands, in words: delivering, settled (payable at), disputed, paid out. */
export function orderStatus (order) {
  if (!order) return 'paid out';
  if (order.status === 'settled' && order.payableAt !== null && order.payableAt !== undefined) {
    return `settled, payable at #${order.payableAt}`;
  }
  return order.status;
}

/** A meter's reading in words: `4000 Wh (final, #1)`, or `none`. */
export function meter (reading) {
  if (!reading || reading.sequence === 0) return 'none';
  return `${reading.energy} Wh (${reading.isFinal ? 'final' : 'interim'}, #${reading.sequence})`;
}

/**
 * The points of a reputation chart: one per closed period, `x` the period's index, `y` the
 * comprehensive reputation (a decimal string in [0, 1]), scaled into `width` x `height`.
 */
export function chartPoints (history, width, height) {
  if (!history.length) return [];
  const values = history.map((summary) => Number(summary.comprehensive));
  const step = history.length > 1 ? width / (history.length - 1) : 0;
  return values.map((value, index) => ({
    x: Math.round(index * step * 10) / 10,
    y: Math.round((1 - Math.min(1, Math.max(0, value))) * height * 10) / 10,
    value
  }));
}

/** A chain's role (`shardProxy_chainRole`'s answer as JSON) in words. */
export function roleName (role) {
  if ('coordinator' in role) return 'coordinator';
  if ('region' in role) return `region ${role.region}`;
  return 'standalone chain';
}
