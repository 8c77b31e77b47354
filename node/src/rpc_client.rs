//! A small blocking JSON-RPC client over plain HTTP, for the relay: one request per connection,
//! which is all a poll every few seconds needs.

use crate::relay::{hex, unhex};
use codec::{Decode, Encode};
use serde_json::{json, Value};
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

	/// Calls the runtime API function `name` (`Api_method`) at the best block with the encoded
	/// `args`, and decodes its answer.
	pub fn runtime_call<R: Decode>(&self, name: &str, args: &impl Encode) -> Result<R, String> {
		let answer = self.call("state_call", json!([name, hex(&args.encode())]))?;
		let bytes = unhex(answer.as_str().ok_or_else(|| format!("{name}: not hex"))?)?;
		R::decode(&mut &bytes[..]).map_err(|e| format!("{name}: {e}"))
	}
}
