// Naming the pool's refusal of a general transaction by the pallet's error.

import { BN, compactFromU8a } from '@polkadot/util';
import { extensionBytes } from './extensions.js';

/**
 * Refusals the pool answers with a standard code, not `Custom(index)`: the pallet's errors each
 * may stand for (see the repository's `docs/feeless-transactions.md`).
 */
export const STANDARD_REFUSALS = {
  'settlement.submitReading': {
    'Transaction has a bad signature': ['BadMeterSignature'],
    'Transaction is outdated': ['StaleSequence', 'FinalReadingAlreadySubmitted']
  },
  'matching.submitSolution': {
    'Transaction is outdated': ['SolutionWrongPeriod', 'SolutionNotBetter'],
    'Transaction would exhaust the block limits': ['SolutionThisBlock']
  }
};

/** A transaction the node refused, named by the chain's error where the answer says it. */
export class Refusal extends Error {
  /**
   * @param {object} fields
   * @param {string} fields.call `section.method` of the refused call
   * @param {number} fields.code the JSON-RPC error code (1010: invalid, 1011: unknown validity)
   * @param {string} [fields.data] the node's reason
   * @param {string[]} fields.errors the pallet errors the reason stands for (empty if none)
   * @param {string} [fields.docs] the error's documentation, when one error is named
   * @param {string} fields.answer the node's whole answer
   */
  constructor ({ call, code, data, errors, docs, answer }) {
    const named = errors.length ? errors.join(' or ') : answer;
    super(`${call} refused: ${named}${docs ? ` (${docs})` : ''}`);
    this.name = 'Refusal';
    this.call = call;
    this.code = code;
    this.data = data;
    this.errors = errors;
    this.docs = docs;
    this.answer = answer;
  }
}

/** The pallet and call indices of a general transaction's call. */
function callIndex (api, transaction) {
  const [offset] = compactFromU8a(transaction);
  // The version byte, then the extension version and each extension's explicit part.
  const call = offset + 1 + extensionBytes(api).length;
  return transaction.subarray(call, call + 2);
}

/**
 * The node's answer to `transaction` as a {@link Refusal}: a `Custom error: N` is the called
 * pallet's error of index N, named from the metadata; the standard answers are named by
 * {@link STANDARD_REFUSALS}. Errors that are not the pool's answer are returned as they are.
 */
export function refusal (api, transaction, error) {
  if (typeof error?.code !== 'number' || error.code < 1000) return error;
  const index = callIndex(api, transaction);
  const { section, method } = api.registry.findMetaCall(index);
  const call = `${section}.${method}`;
  const data = typeof error.data === 'string' ? error.data : undefined;
  const answer = error.message;
  const custom = data?.match(/^Custom error: (\d+)$/);
  if (custom) {
    const meta = api.registry.findMetaError({ index: new BN(index[0]), error: new BN(custom[1]) });
    return new Refusal({ call, code: error.code, data, errors: [meta.method], docs: meta.docs.join(' ').trim(), answer });
  }
  const errors = STANDARD_REFUSALS[call]?.[data] ?? [];
  return new Refusal({ call, code: error.code, data, errors, answer });
}
