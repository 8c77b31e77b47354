// @gridshard/api: what @polkadot/api needs to use a GridShard node, and the meter readings and
// feeless general transactions it cannot build by itself.

export { options, rpc, signedExtensions, types, gridshardRpc, substrateRpc } from './definitions.js';
export {
  READING_CONTEXT,
  METER_KEY_PROOF_CONTEXT,
  reading,
  readingPayload,
  signReading,
  meterKeyProofPayload,
  meterKeyProof
} from './meter.js';
export {
  generalTransaction,
  readingTransaction,
  solutionScore,
  solutionTransaction,
  submitGeneral,
  submitGeneralAndWatch
} from './general.js';
export { Refusal, STANDARD_REFUSALS, refusal } from './refusal.js';
