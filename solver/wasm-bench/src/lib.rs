//! The solver compiled to `wasm32v1-none`, as inside the runtime's off-chain worker, with one
//! export for a timing harness (`scripts/solver-wasm-bench.py` runs it under wasmtime, the
//! engine Substrate's executor uses): solve a generated market within a node budget.

#![no_std]

extern crate alloc;

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
	core::arch::wasm32::unreachable()
}

/// Solves `gridshard_solver::generate::market(seed, requests, providers, tightness, density)`
/// (`degree` 0) or `generate::degree_market` with the same arguments (`degree` 1, weighted as
/// the chain weighs) within `max_nodes` nodes; returns the nodes visited.
#[no_mangle]
pub extern "C" fn solve_generated(
	requests: u32,
	providers: u32,
	tightness: u32,
	density: u32,
	seed: u64,
	degree: u32,
	max_nodes: u64,
) -> u64 {
	let generate = match degree {
		0 => gridshard_solver::generate::market,
		_ => gridshard_solver::generate::degree_market,
	};
	let market =
		generate(seed, requests as usize, providers as usize, tightness as u64, density as u64);
	let model = gridshard_solver::Model::market(&market).expect("generated markets are valid");
	gridshard_solver::solve(&model, max_nodes).outcome.nodes
}
