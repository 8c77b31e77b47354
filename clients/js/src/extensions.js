// The explicit part of a general transaction that no account signs, from the chain's metadata.

import { u8aConcat } from '@polkadot/util';

/**
 * The transaction-extension version, then each extension's explicit part at its default (an
 * immortal era, no nonce, no tip; nothing for the others).
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @returns {Uint8Array}
 */
export function extensionBytes (api) {
  const { extrinsic } = api.runtimeMetadata.asLatest;
  const [version, indices] = [...extrinsic.transactionExtensionsByVersion.entries()][0];
  const parts = indices.map((index) => {
    const extension = extrinsic.transactionExtensions[index.toNumber()];
    return api.registry.createTypeUnsafe(api.registry.createLookupType(extension.type), []).toU8a();
  });
  return u8aConcat(new Uint8Array([version.toNumber()]), ...parts);
}
