//! # GridShard node
//!
//! The proof-of-work node of every GridShard chain: `gridshard-node --dev` starts a one-node
//! chain that mines at once and serves RPC on `127.0.0.1:9944`.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are the SDK's own (large) error types, returned as the
// SDK's command and service functions return them.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod meter;
mod miner;
mod participant;
mod pow;
mod relay;
mod rpc;
mod rpc_client;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
