//! JSON-RPC over HTTP to one node, with batches (thousands of submissions in a few requests).

use serde_json::{json, Value};

/// How long one request may take, in seconds: a batch of submissions to a node whose pool is
/// validating the whole network's load on a shared core takes minutes.
const TIMEOUT_S: u64 = 900;

/// A node's HTTP JSON-RPC endpoint on `127.0.0.1`.
#[derive(Clone, Debug)]
pub struct Rpc {
	url: String,
}

/// The answer to one call of a batch: its result, or the node's error as text.
pub type Answer = Result<Value, String>;

impl Rpc {
	/// The endpoint on `127.0.0.1:port`.
	pub fn new(port: u16) -> Self {
		Self { url: format!("http://127.0.0.1:{port}") }
	}

	/// Its URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	fn post(&self, body: String) -> Result<Value, String> {
		let response = minreq::post(&self.url)
			.with_header("Content-Type", "application/json")
			.with_body(body)
			.with_timeout(TIMEOUT_S)
			.send()
			.map_err(|e| format!("{}: {e}", self.url))?;
		if response.status_code != 200 {
			return Err(format!("{}: HTTP {}", self.url, response.status_code));
		}
		serde_json::from_slice(response.as_bytes()).map_err(|e| format!("{}: {e}", self.url))
	}

	/// Calls `method` with `params`: its result, or the node's error as text.
	pub fn call(&self, method: &str, params: Value) -> Answer {
		let response = self.post(
			json!({"jsonrpc": "2.0", "id": 0, "method": method, "params": params}).to_string(),
		)?;
		answer(method, &response)
	}

	/// The number of the node's best block.
	pub fn best_number(&self) -> Result<u64, String> {
		let header = self.call("chain_getHeader", json!([]))?;
		number(&header["number"])
	}

	/// Calls each `(method, params)` in one batch; the answers in the calls' order.
	pub fn batch(&self, calls: &[(&str, Value)]) -> Result<Vec<Answer>, String> {
		if calls.is_empty() {
			return Ok(Vec::new());
		}
		let body: Vec<Value> = calls
			.iter()
			.enumerate()
			.map(|(id, (method, params))| {
				json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
			})
			.collect();
		let response = self.post(Value::Array(body).to_string())?;
		let responses = response.as_array().ok_or_else(|| format!("not a batch: {response}"))?;
		let mut answers: Vec<Option<Answer>> = vec![None; calls.len()];
		for response in responses {
			let id = response["id"].as_u64().ok_or_else(|| format!("no id: {response}"))? as usize;
			let slot = answers.get_mut(id).ok_or_else(|| format!("unknown id {id}"))?;
			*slot = Some(answer(calls[id].0, response));
		}
		answers
			.into_iter()
			.enumerate()
			.map(|(id, answer)| answer.ok_or_else(|| format!("no answer to call {id}")))
			.collect()
	}
}

fn answer(method: &str, response: &Value) -> Answer {
	match response.get("error") {
		Some(error) => Err(format!("{method}: {error}")),
		None => Ok(response["result"].clone()),
	}
}

/// `0x`-prefixed hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

/// Bytes of `0x`-prefixed hex: an even number of hex digits, nothing else.
pub fn unhex(s: &str) -> Result<Vec<u8>, String> {
	let s = s.trim_start_matches("0x");
	if !s.len().is_multiple_of(2) {
		return Err(format!("odd hex length {}", s.len()));
	}
	(0..s.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|e| format!("hex: {e}")))
		.collect()
}

/// A number from its JSON-RPC form (`0x`-prefixed hex, or a number).
pub fn number(value: &Value) -> Result<u64, String> {
	match value {
		Value::Number(n) => n.as_u64().ok_or_else(|| format!("not a block number: {n}")),
		Value::String(s) => u64::from_str_radix(s.trim_start_matches("0x"), 16)
			.map_err(|e| format!("not a block number: {s}: {e}")),
		other => Err(format!("not a block number: {other}")),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hex_keeps_leading_zeros_and_reads_back() {
		assert_eq!(hex(&[0, 15, 255]), "0x000fff");
		assert_eq!(unhex("0x000fff").unwrap(), vec![0, 15, 255]);
		assert!(unhex("0x0").is_err());
		assert!(unhex("0x0 ").is_err());
		assert_eq!(number(&json!("0x1f")).unwrap(), 31);
	}
}
