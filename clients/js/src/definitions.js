// The types bundle @polkadot/api needs for a GridShard node: the transaction extension it does
// not know, and every RPC method the node serves that it does not decorate by itself.

/**
 * The runtime's transaction extensions that @polkadot/api does not know. `AuthorizeCall` lets a
 * call authorise itself (`#[pallet::authorize]`: meter readings, matching solutions); it has no
 * explicit and no implicit part, so a signed transaction carries nothing for it.
 */
export const signedExtensions = {
  AuthorizeCall: { extrinsic: {}, payload: {} }
};

/**
 * Types of RPC answers that are not JSON objects: a chain's role (`"standalone"`,
 * `{"region": N}` or `"coordinator"`), which a `Json` codec would take apart letter by letter.
 */
export const types = {
  GridshardChainRole: { _enum: { Standalone: 'Null', Region: 'u32', Coordinator: 'Null' } }
};

const at = { name: 'at', type: 'BlockHash', isHistoric: true, isOptional: true };
const optional = (name, type) => ({ name, type, isOptional: true });
const required = (name, type) => ({ name, type });

/**
 * GridShard's own RPC methods. Their answers are JSON objects (field names in camelCase, amounts
 * as decimal strings in the smallest unit, accounts in SS58), decoded as `Json` codecs: call
 * `.toJSON()` for the plain object. Each answer's fields are the `*View` struct of its method in the
 * repository's `node/src/rpc/`.
 */
export const gridshardRpc = {
  matching: {
    phase: { description: 'The current period and phase.', params: [at], type: 'Json' },
    book: {
      description: "The book of a period (default: the current one) until its adoption.",
      params: [optional('period', 'u32'), at],
      type: 'Json'
    },
    bestSolution: {
      description: 'The best solution accepted in the current solution window, or null.',
      params: [at],
      type: 'Option<Json>'
    },
    lastAdopted: { description: 'What the last adoption did, or null.', params: [at], type: 'Option<Json>' },
    preview: {
      description: 'What the solver would do with the current book, with its proven bound (unsafe).',
      params: [at],
      type: 'Option<Json>'
    },
    snapshot: {
      description: "The current period's snapshot as the solver's input.",
      params: [at],
      type: 'Json'
    },
    solutionTransaction: {
      description: "An assignment of the snapshot as the transaction that submits it.",
      params: [required('assignment', 'Vec<Option<u32>>'), at],
      type: 'Json'
    }
  },
  mining: {
    status: { description: "The node's miner: whether it mines, its hash rate and blocks.", params: [], type: 'Json' }
  },
  registration: {
    participant: {
      description: "A participant's record, or null.",
      params: [required('account', 'AccountId'), at],
      type: 'Option<Json>'
    },
    pendingApplications: {
      description: 'Applications awaiting the council, a page at a time.',
      params: [optional('startAfter', 'AccountId'), optional('limit', 'u32'), at],
      type: 'Vec<Json>'
    }
  },
  reputation: {
    standing: {
      description: "A provider's reputation, or null.",
      params: [required('provider', 'AccountId'), at],
      type: 'Option<Json>'
    },
    history: {
      description: "A provider's per-period delivery summaries.",
      params: [required('provider', 'AccountId'), at],
      type: 'Vec<Json>'
    },
    ranking: {
      description: 'Providers by comprehensive reputation, best first, a page at a time.',
      params: [optional('start', 'u32'), optional('limit', 'u32'), at],
      type: 'Vec<Json>'
    }
  },
  settlement: {
    order: { description: 'An order in settlement, or null.', params: [required('id', 'u64'), at], type: 'Option<Json>' },
    ordersOf: {
      description: "An account's orders in settlement, as provider or user, a page at a time.",
      params: [required('account', 'AccountId'), optional('start', 'u64'), optional('limit', 'u32'), at],
      type: 'Vec<Json>'
    },
    uncommittedEscrow: {
      description: "An account's escrow not yet committed to an order.",
      params: [required('account', 'AccountId'), at],
      type: 'Balance'
    }
  },
  shardProxy: {
    chainRole: { description: 'Whether this chain is a region or the coordinator.', params: [at], type: 'GridshardChainRole' },
    regions: { description: "The coordinator's regions with their best and confirmed headers.", params: [at], type: 'Vec<Json>' },
    header: {
      description: "A region's header the coordinator imported, or null.",
      params: [required('region', 'u32'), required('hash', 'Hash'), at],
      type: 'Option<Json>'
    },
    records: {
      description: "A region's period records with their status, a page at a time.",
      params: [required('region', 'u32'), optional('from', 'u32'), optional('limit', 'u32'), at],
      type: 'Vec<Json>'
    },
    proxies: { description: "The regions' proxies with their bonds.", params: [at], type: 'Vec<Json>' },
    slashes: { description: 'The proxies slashed for false records.', params: [at], type: 'Vec<Json>' }
  }
};

const follow = required('followSubscription', 'Text');
const hash = required('hash', 'BlockHash');

/**
 * The Substrate methods a node of this release serves that @polkadot/api 16.5 does not know:
 * the new JSON-RPC interface (`chainHead_v1_*`, `chainSpec_v1_*`, `transaction_v1_*`,
 * `transactionWatch_v1_*`, see paritytech.github.io/json-rpc-interface-spec) and three others.
 * Their answers are decoded as `Json`.
 */
export const substrateRpc = {
  author: {
    rotateKeysWithOwner: {
      description: 'Generates new session keys bound to an owner, with their proof.',
      params: [required('owner', 'Bytes')],
      type: 'Json'
    }
  },
  bitswap: {
    v1_get: { description: 'A block of the node by its content identifier.', params: [required('cid', 'Text')], type: 'Json' }
  },
  chainHead: {
    v1_follow: {
      description: 'Follows the chain\'s head (events: initialized, newBlock, bestBlockChanged, ...).',
      params: [required('withRuntime', 'bool')],
      pubsub: ['v1_followEvent', 'v1_follow', 'v1_unfollow'],
      type: 'Json'
    },
    v1_body: { description: "Starts reading a pinned block's body.", params: [follow, hash], type: 'Json' },
    v1_call: {
      description: 'Starts a runtime call at a pinned block.',
      params: [follow, hash, required('function', 'Text'), required('callParameters', 'Bytes')],
      type: 'Json'
    },
    v1_continue: { description: 'Continues an operation.', params: [follow, required('operationId', 'Text')], type: 'Json' },
    v1_header: { description: "A pinned block's SCALE-encoded header.", params: [follow, hash], type: 'Json' },
    v1_stopOperation: { description: 'Stops an operation.', params: [follow, required('operationId', 'Text')], type: 'Json' },
    v1_storage: {
      description: 'Starts reading storage items at a pinned block.',
      params: [follow, hash, required('items', 'Vec<Json>'), optional('childTrie', 'Bytes')],
      type: 'Json'
    },
    v1_unpin: { description: 'Unpins blocks.', params: [follow, required('hashOrHashes', 'Json')], type: 'Json' }
  },
  chainSpec: {
    v1_chainName: { description: "The chain's name.", params: [], type: 'Text' },
    v1_genesisHash: { description: "The chain's genesis hash.", params: [], type: 'Hash' },
    v1_properties: { description: "The chain's properties.", params: [], type: 'Json' }
  },
  state: {
    callRecorded: {
      description: 'A runtime call with the storage proof of what it read.',
      params: [required('method', 'Text'), required('data', 'Bytes'), at],
      type: 'Json'
    }
  },
  transaction: {
    v1_broadcast: { description: 'Broadcasts a transaction; its operation id.', params: [required('transaction', 'Bytes')], type: 'Json' },
    v1_stop: { description: 'Stops broadcasting.', params: [required('operationId', 'Text')], type: 'Json' }
  },
  transactionWatch: {
    v1_submitAndWatch: {
      description: 'Submits a transaction and follows it (events: validated, bestChainBlockIncluded, ...).',
      params: [required('transaction', 'Bytes')],
      pubsub: ['v1_watchEvent', 'v1_submitAndWatch', 'v1_unwatch'],
      type: 'Json'
    }
  }
};

/** Every section of {@link gridshardRpc} and {@link substrateRpc}, for the `rpc` option. */
export const rpc = Object.fromEntries(
  [...new Set([...Object.keys(gridshardRpc), ...Object.keys(substrateRpc)])].map((section) => [
    section,
    { ...substrateRpc[section], ...gridshardRpc[section] }
  ])
);

/**
 * The options to spread into `ApiPromise.create`: `ApiPromise.create({ provider, ...options })`.
 */
export const options = { signedExtensions, rpc, types };
