// What meter keys sign: readings, and the proof of possession a participant's application
// carries. Both bind the chain's genesis hash, so a signature for one region is void on another.

import { compactAddLength, stringToU8a, u8aConcat } from '@polkadot/util';

/** The context a meter reading's signature binds (`pallet_settlement::READING_CONTEXT`). */
export const READING_CONTEXT = 'gridshard/meter-reading';

/** The context a meter key's proof of possession binds (`METER_KEY_PROOF_CONTEXT`). */
export const METER_KEY_PROOF_CONTEXT = 'gridshard/meter-key-proof';

const context = (text) => compactAddLength(stringToU8a(text));

/**
 * A meter reading as the runtime's `Reading` codec.
 *
 * @param {import('@polkadot/api').ApiPromise} api connected to the chain
 * @param {{ order: number|bigint, side: 'Provider'|'User', energy: number|bigint,
 *   sequence: number, isFinal: boolean }} reading cumulative Wh for the order; `sequence` above
 *   the meter's last for this order
 */
export function reading (api, reading) {
  return api.createType('PalletSettlementReading', reading);
}

/** The bytes a meter signs for `reading`: `(READING_CONTEXT, genesis hash, reading)`, SCALE. */
export function readingPayload (api, value) {
  return u8aConcat(context(READING_CONTEXT), api.genesisHash.toU8a(), reading(api, value).toU8a());
}

/**
 * The meter's sr25519 signature of `reading`.
 *
 * @param {import('@polkadot/keyring/types').KeyringPair} meter the meter key (sr25519)
 */
export function signReading (api, meter, value) {
  return meter.sign(readingPayload(api, value));
}

/**
 * The bytes a meter key signs to prove possession for `applicant`'s application with `meterId`:
 * `(METER_KEY_PROOF_CONTEXT, genesis hash, applicant, meter ID)`, SCALE.
 *
 * @param {string|Uint8Array} applicant the applying account
 * @param {string|Uint8Array} meterId the meter's ID as registered (text or bytes)
 */
export function meterKeyProofPayload (api, applicant, meterId) {
  return u8aConcat(
    context(METER_KEY_PROOF_CONTEXT),
    api.genesisHash.toU8a(),
    api.createType('AccountId', applicant).toU8a(),
    api.createType('Bytes', meterId).toU8a()
  );
}

/** The meter key's proof of possession for an application (`meter_key_proof`). */
export function meterKeyProof (api, meter, applicant, meterId) {
  return meter.sign(meterKeyProofPayload(api, applicant, meterId));
}
