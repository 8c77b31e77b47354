//! A small blocking JSON-RPC client over plain HTTP, for the relay, the meter and the
//! participant's command line: one request per connection, which is all a poll every few
//! seconds needs.

use crate::relay::{hex, unhex};
use codec::{Decode, Encode};
use frame_system::offchain::CreateAuthorizedTransaction;
use gridshard_primitives::{AccountId, Hash, Nonce};
use gridshard_runtime::{Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair};
use sp_runtime::{MultiAddress, MultiSignature};
use std::{
	io::{BufRead, BufReader, Read, Write},
	net::TcpStream,
	time::Duration,
};

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A node's HTTP JSON-RPC endpoint.
pub struct RpcClient {
	/// `host:port`.
	address: String,
}

impl RpcClient {
	/// A client of `url` (`http://host:port`).
	pub fn new(url: &str) -> Result<Self, String> {
		let address = url
			.strip_prefix("http://")
			.ok_or_else(|| format!("`{url}` is not an http:// URL"))?
			.trim_end_matches('/');
		Ok(Self { address: address.to_string() })
	}

	/// Calls `method` with `params`; the result, or the RPC error as text.
	pub fn call(&self, method: &str, params: Value) -> Result<Value, String> {
		let body =
			json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
		let fail = |e: std::io::Error| format!("{method} at {}: {e}", self.address);
		let mut stream = TcpStream::connect(&self.address).map_err(fail)?;
		stream.set_read_timeout(Some(TIMEOUT)).map_err(fail)?;
		write!(
			stream,
			"POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
			 Content-Length: {}\r\nConnection: close\r\n\r\n{}",
			self.address,
			body.len(),
			body
		)
		.map_err(fail)?;
		let mut reader = BufReader::new(stream);
		let mut length = 0usize;
		loop {
			let mut line = String::new();
			reader.read_line(&mut line).map_err(fail)?;
			let line = line.trim_end();
			if line.is_empty() {
				break;
			}
			if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
				length = value.trim().parse().map_err(|_| "a bad content-length".to_string())?;
			}
		}
		let mut response = vec![0u8; length];
		reader.read_exact(&mut response).map_err(fail)?;
		let response: Value =
			serde_json::from_slice(&response).map_err(|e| format!("{method}: {e}"))?;
		match response.get("error") {
			Some(error) => Err(format!("{method}: {error}")),
			None => Ok(response["result"].clone()),
		}
	}

	/// The best block's number.
	pub fn best_number(&self) -> Result<u32, String> {
		let header = self.call("chain_getHeader", json!([]))?;
		let number = header["number"].as_str().ok_or("a header without number")?;
		u32::from_str_radix(number.trim_start_matches("0x"), 16)
			.map_err(|e| format!("block number: {e}"))
	}

	/// Calls the runtime API function `name` (`Api_method`) at the best block with the encoded
	/// `args`, and decodes its answer.
	pub fn runtime_call<R: Decode>(&self, name: &str, args: &impl Encode) -> Result<R, String> {
		let answer = self.call("state_call", json!([name, hex(&args.encode())]))?;
		let bytes = unhex(answer.as_str().ok_or_else(|| format!("{name}: not hex"))?)?;
		R::decode(&mut &bytes[..]).map_err(|e| format!("{name}: {e}"))
	}

	/// Signs `call` with `signer` (immortal, no tip, the account's next nonce counting the
	/// pool, this chain's genesis and runtime version) and submits it; the extrinsic's bytes.
	pub fn submit_signed(
		&self,
		signer: &sr25519::Pair,
		call: RuntimeCall,
	) -> Result<Vec<u8>, String> {
		let account = AccountId::from(signer.public());
		let nonce: Nonce = serde_json::from_value(
			self.call("system_accountNextIndex", json!([account.to_string()]))?,
		)
		.map_err(|e| format!("nonce: {e}"))?;
		let genesis: Hash = serde_json::from_value(self.call("chain_getBlockHash", json!([0]))?)
			.map_err(|e| format!("genesis hash: {e}"))?;
		let version = self.call("state_getRuntimeVersion", json!([]))?;
		let spec_version = version["specVersion"].as_u64().ok_or("no specVersion")? as u32;
		let transaction_version =
			version["transactionVersion"].as_u64().ok_or("no transactionVersion")? as u32;
		let mut extension: TxExtension =
			<Runtime as CreateAuthorizedTransaction<RuntimeCall>>::create_extension();
		extension.6 = frame_system::CheckNonce::from(nonce);
		let implicit =
			((), (), spec_version, transaction_version, genesis, genesis, (), (), (), ());
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		let extrinsic = UncheckedExtrinsic::new_signed(
			call,
			MultiAddress::Id(account),
			MultiSignature::Sr25519(signature),
			extension,
		)
		.encode();
		self.call("author_submitExtrinsic", json!([hex(&extrinsic)]))?;
		Ok(extrinsic)
	}
}
