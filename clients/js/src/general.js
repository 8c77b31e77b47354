// Feeless general transactions (extrinsic format 5): what meter readings and matching solutions
// are. @polkadot/api 16.5 neither builds nor re-encodes them correctly, so this module encodes
// them from the chain's metadata and submits the bytes as they are.

import { compactToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { extensionBytes } from './extensions.js';
import { refusal } from './refusal.js';
import { signReading } from './meter.js';

/** The version byte of a general transaction: type `0b01` in the top bits, format 5. */
const GENERAL_V5 = 0x45;

/**
 * `call` as a feeless general transaction: `compact(length) 0x45 <extensions> <call>`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').SubmittableExtrinsic<'promise'> | import('@polkadot/types/interfaces').Call} call
 *   for example `api.tx.settlement.submitReading(reading, signature)`
 * @returns {Uint8Array}
 */
export function generalTransaction (api, call) {
  const method = call.method ?? call;
  const body = u8aConcat(new Uint8Array([GENERAL_V5]), extensionBytes(api), method.toU8a());
  return u8aConcat(compactToU8a(body.length), body);
}

/** A meter reading, signed by `meter`, as the general transaction that submits it. */
export function readingTransaction (api, meter, value) {
  const signature = signReading(api, meter, value);
  return generalTransaction(api, api.tx.settlement.submitReading(value, signature));
}

/**
 * The score the chain computes for `assignment` of `snapshot`: the energy of the requests served
 * and the sum of their pairs' weights. Throws on an assignment that is not feasible.
 *
 * @param {{ requests: number[], capacities: number[], pairs: [number, number, number][] }} snapshot
 *   as `matching_snapshot` answers it
 * @param {(number|null)[]} assignment for each request row its offer row, or null
 */
export function solutionScore (snapshot, assignment) {
  if (assignment.length !== snapshot.requests.length) {
    throw new Error(`the assignment has ${assignment.length} rows; the snapshot has ${snapshot.requests.length} requests`);
  }
  const weights = new Map(snapshot.pairs.map(([request, offer, weight]) => [`${request}/${offer}`, weight]));
  const used = snapshot.capacities.map(() => 0n);
  let energy = 0n;
  let weight = 0n;
  assignment.forEach((offer, request) => {
    if (offer === null || offer === undefined) return;
    const pair = weights.get(`${request}/${offer}`);
    if (pair === undefined) throw new Error(`request row ${request} may not take offer row ${offer}`);
    used[offer] += BigInt(snapshot.requests[request]);
    if (used[offer] > BigInt(snapshot.capacities[offer])) throw new Error(`offer row ${offer} is over its capacity`);
    energy += BigInt(snapshot.requests[request]);
    weight += BigInt(pair);
  });
  return { energy, weight };
}

/**
 * `assignment` of `snapshot` as the general transaction `matching.submitSolution` with its score
 * (or `claimed`, to test the chain's check).
 */
export function solutionTransaction (api, snapshot, assignment, claimed = solutionScore(snapshot, assignment)) {
  const pairs = assignment.flatMap((offer, request) => (offer === null || offer === undefined ? [] : [[request, offer]]));
  return generalTransaction(api, api.tx.matching.submitSolution(snapshot.period, pairs, claimed));
}

/**
 * Submits a general transaction's bytes as they are (`author_submitExtrinsic`, through the
 * provider: `api.rpc.author.submitExtrinsic` would re-encode them wrongly). Resolves to the
 * transaction's hash; rejects with a {@link Refusal} naming the chain's error.
 *
 * @param {import('@polkadot/api').ApiPromise} api to name refusals
 * @param {import('@polkadot/rpc-provider/types').ProviderInterface} provider the api's provider
 * @param {Uint8Array} transaction
 */
export async function submitGeneral (api, provider, transaction) {
  try {
    return await provider.send('author_submitExtrinsic', [u8aToHex(transaction)]);
  } catch (error) {
    throw refusal(api, transaction, error);
  }
}

/**
 * Submits a general transaction and resolves once a block includes it, to that block's hash;
 * rejects with a {@link Refusal} when the pool refuses it, or an `Error` when it is dropped.
 */
export async function submitGeneralAndWatch (api, provider, transaction) {
  let subscription;
  try {
    return await new Promise((resolve, reject) => {
      provider
        .subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [u8aToHex(transaction)], (error, status) => {
          if (error) return reject(error);
          if (status?.inBlock) return resolve(status.inBlock);
          for (const end of ['dropped', 'invalid', 'usurped']) {
            if (status === end || status?.[end] !== undefined) reject(new Error(`the pool ${end} the transaction`));
          }
        })
        .then((id) => { subscription = id; }, (error) => reject(refusal(api, transaction, error)));
    });
  } finally {
    if (subscription !== undefined) {
      await provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', subscription).catch(() => {});
    }
  }
}
