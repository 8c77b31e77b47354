//! `gridshard-node meter`, the meter's client, against a `--dev` node: a provider's simulated
//! meter and a household's meter reading a file that grows send every reading of their order by
//! themselves (interim readings while the window is open, the final after it), the order
//! settles on them in full, and both clients exit once it is settled. A client with another
//! meter's key is stopped by the chain's refusal, named; a client without a source is refused
//! before it starts.

mod common;

use common::{market, post_book, Node};
use serde_json::json;
use sp_core::crypto::Ss58Codec;
use sp_keyring::Sr25519Keyring;
use std::{
	io::Write,
	process::{Child, Command, Output, Stdio},
	time::Duration,
};

/// A meter client process with its log file.
struct Meter {
	child: Option<Child>,
	log: std::path::PathBuf,
}

impl Meter {
	fn start(node: &Node, name: &str, args: &[&str]) -> Meter {
		let log =
			std::env::temp_dir().join(format!("gridshard-meter-{name}-{}.log", node.rpc_port));
		let child = Command::new(env!("CARGO_BIN_EXE_gridshard-node"))
			.arg("meter")
			.args(["--rpc", &format!("http://127.0.0.1:{}", node.rpc_port)])
			.args(["--poll-ms", "200", "--exit-when-done"])
			.args(args)
			.stdout(Stdio::null())
			.stderr(std::fs::File::create(&log).unwrap())
			.spawn()
			.expect("the node binary starts");
		Meter { child: Some(child), log }
	}

	fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	/// Waits for the client to exit; whether it succeeded.
	fn wait(&mut self, node: &Node, timeout: Duration) -> bool {
		let child = self.child.as_mut().expect("running");
		let status = node.wait_for("the meter client to exit", timeout, || {
			child.try_wait().expect("the client's status")
		});
		self.child = None;
		status.success()
	}
}

impl Drop for Meter {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}
}

fn account(keyring: Sr25519Keyring) -> String {
	keyring.to_account_id().to_ss58check()
}

#[test]
fn meter_clients_send_every_reading_and_the_order_settles_on_them() {
	// Blocks every three seconds on average from the start (a simulated miner), so that the
	// delivery window's ten blocks leave the clients time for interim readings.
	let node = Node::start("meter", &["--dev", "--tmp", "--simulated-mining-mean-ms", "3000"]);
	let (provider, user) = (Sr25519Keyring::Eve, Sr25519Keyring::AliceStash);
	let posted = post_book(&node, &[(provider, 200)], &[(user, 4_000)]);

	// The provider's meter feeds in 20 kW: more than the order in a few seconds.
	let eve = account(provider);
	let mut provider_meter = Meter::start(
		&node,
		"provider",
		&["--meter-key", "//Eve//meter", "--account", &eve, "--simulate-watts", "20000000"],
	);
	// The household's meter writes a CSV line per reading into a file that grows.
	let readings = std::env::temp_dir().join(format!("gridshard-meter-{}.csv", node.rpc_port));
	std::fs::write(&readings, "time,energy_wh\nt0,1000\n").unwrap();
	let alice_stash = account(user);
	let mut user_meter = Meter::start(
		&node,
		"user",
		&[
			"--meter-key",
			"//Alice//stash//meter",
			"--account",
			&alice_stash,
			"--source",
			readings.to_str().unwrap(),
		],
	);

	let (_, orders) = market::adopted(&node, posted.period, &[provider]);
	assert_eq!(orders.len(), 1, "{orders:?}");
	let order = &orders[0];
	let id = order["id"].as_u64().unwrap();
	let agreed = order["agreed"].as_u64().unwrap();
	let (window_start, window_end) =
		(order["window"][0].as_u64().unwrap(), order["window"][1].as_u64().unwrap());
	node.wait_for("the delivery window to open", Duration::from_secs(120), || {
		(node.best_number() > window_start).then_some(())
	});
	// A client with the provider's key for the household's order is stopped by the chain.
	let mut impostor = Meter::start(
		&node,
		"impostor",
		&["--meter-key", "//Eve//meter", "--account", &alice_stash, "--simulate-watts", "1000000"],
	);
	assert!(!impostor.wait(&node, Duration::from_secs(60)));
	assert!(
		impostor.log().contains("the chain does not know this key as the order's meter key"),
		"{}",
		impostor.log()
	);
	// The household's client took its baseline (1 000 Wh) when it saw the window open; now its
	// meter counts half the order, writes a line the client must refuse, and counts more than
	// the order.
	let mut file = std::fs::OpenOptions::new().append(true).open(&readings).unwrap();
	writeln!(file, "t1,{}", 1_000 + agreed / 2).unwrap();
	writeln!(file, "t2,not-a-number").unwrap();
	drop(file);
	node.wait_for("the household's interim reading", Duration::from_secs(120), || {
		let order = node.rpc("settlement_order", json!([id]));
		(order["userMeter"]["sequence"].as_u64()? >= 1).then_some(())
	});
	let mut file = std::fs::OpenOptions::new().append(true).open(&readings).unwrap();
	writeln!(file, "t3,{}", 1_000 + agreed + 250).unwrap();
	drop(file);

	node.wait_for("both final readings", Duration::from_secs(300), || {
		let order = node.rpc("settlement_order", json!([id]));
		(order["providerMeter"]["isFinal"] == json!(true)
			&& order["userMeter"]["isFinal"] == json!(true))
		.then_some(order)
	});
	assert!(node.best_number() >= window_end);
	let settled = market::settle(&node, &orders);
	let outcome = &settled[0];
	assert_eq!(outcome["providerMeter"]["energy"], json!(agreed), "{outcome}");
	assert_eq!(outcome["userMeter"]["energy"], json!(agreed), "{outcome}");

	assert!(provider_meter.wait(&node, Duration::from_secs(120)), "{}", provider_meter.log());
	assert!(user_meter.wait(&node, Duration::from_secs(120)), "{}", user_meter.log());
	let log = user_meter.log();
	for expected in [
		format!("order {id}: {agreed} Wh"),
		format!("order {id}: interim reading #1 of {} Wh sent", agreed / 2),
		format!("order {id}: the chain took the final reading"),
		"`t2,not-a-number` is not a reading".to_string(),
		"every order's final reading is taken".to_string(),
	] {
		assert!(log.contains(&expected), "`{expected}` not in the log:\n{log}");
	}
	let _ = std::fs::remove_file(&readings);
}

#[test]
fn a_meter_client_without_a_source_is_refused_before_it_starts() {
	let Output { status, stderr, .. } = Command::new(env!("CARGO_BIN_EXE_gridshard-node"))
		.args(["meter", "--meter-key", "//Eve//meter", "--account"])
		.arg(account(Sr25519Keyring::Eve))
		.output()
		.unwrap();
	assert!(!status.success());
	let stderr = String::from_utf8_lossy(&stderr);
	assert!(
		stderr.contains("give the meter's --source FILE (or -), or --simulate-watts W"),
		"{stderr}"
	);
	let Output { status, stderr, .. } = Command::new(env!("CARGO_BIN_EXE_gridshard-node"))
		.args(["meter", "--meter-key", "//Eve//meter", "--simulate-watts", "5"])
		.args(["--account", "not-an-account"])
		.output()
		.unwrap();
	assert!(!status.success());
	assert!(String::from_utf8_lossy(&stderr).contains("--account is not an SS58 account"));
}
