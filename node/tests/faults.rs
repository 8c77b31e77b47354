//! Faults on real nodes while a trading period runs: a mining node killed mid-period and
//! restarted on its database, and a flood of bad transactions and oversized requests against one
//! node. Each scenario runs three mining nodes of the `dev` chain (its first blocks come fast
//! while the difficulty climbs, so that a period and its payout take a couple of minutes), each
//! hashing a quarter of a core, trades one period through them over RPC, and checks that every
//! order is adopted, settled and paid out exactly once; a third splits four miners into a light
//! half that trades and a heavy half, and joins them again. With `--nocapture`, one line per
//! scenario: `[faults] <scenario>: passed in N s: ...`.
//!
//! These are tests on real nodes through this crate's harness rather than zombienet DSL: each
//! scenario trades a period, whose meter readings are feeless general transactions the
//! zombienet JavaScript client cannot build (its v5 builder produces malformed bytes), and the
//! harness already kills and restarts processes on their database and makes partitions from
//! reserved-only peer sets, all on loopback.

mod common;

use common::{market, post_book, Node};
use gridshard_runtime::{MatchingCall, RuntimeCall, SettlementCall};
use pallet_settlement::{Reading, Side};
use serde_json::json;
use sp_core::Pair as _;
use sp_keyring::Sr25519Keyring;
use std::{
	io::Write,
	net::TcpStream,
	sync::{
		atomic::{AtomicBool, AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// Sets its flag when dropped, on success or while a panic unwinds.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
	fn drop(&mut self) {
		self.0.store(true, Ordering::Relaxed);
	}
}

/// The first node's key, and the peer id it gives.
const BOOT_KEY: &str = "0000000000000000000000000000000000000000000000000000000000000001";
const BOOT_PEER: &str = "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp";

/// The other nodes' keys (a mining node is an authority and needs one).
const KEYS: [&str; 2] = [
	"0000000000000000000000000000000000000000000000000000000000000002",
	"0000000000000000000000000000000000000000000000000000000000000003",
];

/// The share of a core each miner hashes.
const DUTY: &str = "25";

const PROVIDERS: [(Sr25519Keyring, u128); 2] =
	[(Sr25519Keyring::Eve, 200), (Sr25519Keyring::Ferdie, 250)];
const USERS: [(Sr25519Keyring, u64); 2] =
	[(Sr25519Keyring::AliceStash, 6_000), (Sr25519Keyring::BobStash, 9_000)];

/// The scenarios run one at a time (cargo runs a file's tests in parallel): each already
/// shares two cores among three or four miners.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Holds [`ONE_AT_A_TIME`] for a scenario, even after another one failed.
fn alone() -> std::sync::MutexGuard<'static, ()> {
	ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn log(line: &str) {
	eprintln!("[faults] {line}");
}

/// A mining node of the `dev` chain paying `author`; `bootnode` names the first node's p2p
/// port, `base_path` keeps its database between runs (a temporary one without).
fn miner(
	name: &str,
	key: &str,
	author: Sr25519Keyring,
	bootnode: Option<u16>,
	base_path: Option<&str>,
) -> Node {
	let author = author.to_account_id().to_string();
	let boot = bootnode.map(|port| format!("/ip4/127.0.0.1/tcp/{port}/p2p/{BOOT_PEER}"));
	let mut args = vec!["--chain", "dev", "--validator", "--node-key", key, "--author", &author];
	args.extend(["--mining-duty-cycle", DUTY]);
	match base_path {
		Some(path) => args.extend(["--base-path", path]),
		None => args.push("--tmp"),
	}
	if let Some(boot) = &boot {
		args.extend(["--bootnodes", boot]);
	}
	Node::start(name, &args)
}

/// Whether the header of block `number` on `node` names `author` as its miner.
fn mined_by(node: &Node, number: u64, author: Sr25519Keyring) -> bool {
	let hash = node.rpc("chain_getBlockHash", json!([number]));
	let header = node.rpc("chain_getHeader", json!([hash]));
	let account = common::hex(author.to_account_id().as_ref());
	header["digest"]["logs"].as_array().is_some_and(|logs| {
		logs.iter().any(|log| log.as_str().is_some_and(|l| l.contains(&account[2..])))
	})
}

/// The block hash at `number` on `node`.
fn hash_at(node: &Node, number: u64) -> String {
	node.rpc("chain_getBlockHash", json!([number])).as_str().expect("a hash").to_string()
}

/// Runs the rest of the period on `node` once the book is posted: adoption, readings,
/// settlement, payout; checks each order paid exactly once.
fn finish_period(node: &Node, period: u32) -> usize {
	let providers = PROVIDERS.map(|(p, _)| p);
	let (adopted, orders) = market::adopted(node, period, &providers);
	assert_eq!(adopted["matched"], json!(2), "{adopted}");
	assert_eq!(orders.len(), 2, "{orders:?}");
	market::read_meters(node, &orders);
	market::settle(node, &orders);
	market::wait_for_payouts(node, &orders);
	assert_eq!(market::payouts(node, &orders), vec![1, 1], "each order paid exactly once");
	orders.len()
}

#[test]
fn a_miner_killed_mid_period_restarts_on_its_database_and_mines_again() {
	let _alone = alone();
	let started = Instant::now();
	let first = miner("kill-a", BOOT_KEY, Sr25519Keyring::Alice, None, None);
	let second = miner("kill-b", KEYS[0], Sr25519Keyring::Bob, Some(first.p2p_port), None);
	let database =
		std::env::temp_dir().join(format!("gridshard-faults-kill-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&database);
	let database = database.to_str().expect("a UTF-8 path").to_string();
	let third =
		|| miner("kill-c", KEYS[1], Sr25519Keyring::Charlie, Some(first.p2p_port), Some(&database));
	let victim = third();

	let book = post_book(&first, &PROVIDERS, &USERS);
	log(&format!("kill-restart: period {} open at #{}, book posted", book.period, book.start));
	first.wait_for("the victim to follow", Duration::from_secs(120), || {
		(victim.best_number() + 2 >= first.best_number()).then_some(())
	});
	let killed_at = victim.best_number();
	drop(victim);
	log(&format!("kill-restart: the third miner killed at #{killed_at}"));
	first.wait_for("five blocks without it", Duration::from_secs(180), || {
		(first.best_number() >= killed_at + 5).then_some(())
	});
	let victim = third();
	let restarted_at = first.best_number();
	log(&format!("kill-restart: restarted on its database at the network's #{restarted_at}"));
	assert!(victim.best_number() >= killed_at.saturating_sub(1), "its database kept its blocks");

	let orders = finish_period(&second, book.period);
	// The restarted node caught up with the others and mined again.
	let best = first.best_number();
	victim.wait_for("the restarted node to catch up", Duration::from_secs(180), || {
		(victim.best_number() + 2 >= best).then_some(())
	});
	let deep = best - 5;
	assert_eq!(hash_at(&victim, deep), hash_at(&first, deep), "one history at #{deep}");
	let mined = (restarted_at..=first.best_number())
		.filter(|n| mined_by(&first, *n, Sr25519Keyring::Charlie))
		.count();
	assert!(mined > 0, "the restarted node mined a block after #{restarted_at}");
	drop(second);
	let _ = std::fs::remove_dir_all(&database);
	log(&format!(
		"kill-restart: passed in {} s: {orders} orders adopted, settled and paid once; the \
		 restarted miner caught up and mined {mined} blocks",
		started.elapsed().as_secs()
	));
}

/// Sends one HTTP request whose body is `size` bytes to `node`'s RPC port; true if the node
/// answered at all (with an error status, as it must).
fn oversized_request(node: &Node, size: usize) -> bool {
	let Ok(mut stream) = TcpStream::connect(("127.0.0.1", node.rpc_port)) else { return false };
	let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
	let head = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \
		 {size}\r\n\r\n"
	);
	let _ = stream.write_all(head.as_bytes());
	let chunk = vec![b'['; 1 << 20];
	for _ in 0..size / chunk.len() {
		if stream.write_all(&chunk).is_err() {
			break;
		}
	}
	true
}

/// Floods `node` until `stop`: forged meter readings, forged solutions, bytes that are no
/// extrinsic, and requests past the RPC's size limit. Counts what the node accepted.
fn flood(node: &Node, stop: &AtomicBool, sent: &AtomicUsize, accepted: &AtomicUsize) {
	let mut round = 0u64;
	let genesis = node.genesis();
	while !stop.load(Ordering::Relaxed) {
		round += 1;
		for i in 0..20u64 {
			let reading = Reading {
				order: i,
				side: Side::Provider,
				energy: 1_000 + round,
				sequence: 1,
				is_final: true,
			};
			// Signed by a key that is no meter's.
			let signature = sp_core::sr25519::Pair::from_seed(&[7; 32])
				.sign(&pallet_settlement::reading_payload(&genesis, &reading));
			let forged_reading =
				RuntimeCall::Settlement(SettlementCall::submit_reading { reading, signature });
			let forged_solution = RuntimeCall::Matching(MatchingCall::submit_solution {
				period: (round % 8) as u32,
				solution: vec![(0, 0), (1, 0)].try_into().expect("short"),
				claimed: pallet_matching::Score { energy: 1_000_000 + u128::from(i), weight: 7 },
			});
			let mut garbage = vec![0x45u8; 40];
			garbage[3] = (round + i) as u8;
			for bytes in [
				codec::Encode::encode(&common::general(forged_reading)),
				codec::Encode::encode(&common::general(forged_solution)),
				garbage,
			] {
				sent.fetch_add(1, Ordering::Relaxed);
				if node.try_rpc("author_submitExtrinsic", json!([common::hex(&bytes)])).is_ok() {
					accepted.fetch_add(1, Ordering::Relaxed);
				}
			}
		}
		if round % 5 == 1 {
			sent.fetch_add(1, Ordering::Relaxed);
			oversized_request(node, 20 << 20);
		}
		std::thread::sleep(Duration::from_millis(100));
	}
}

#[test]
fn a_flood_of_bad_transactions_leaves_the_node_up_and_the_period_whole() {
	let _alone = alone();
	let started = Instant::now();
	let target = miner("flood-a", BOOT_KEY, Sr25519Keyring::Alice, None, None);
	let _others = [
		miner("flood-b", KEYS[0], Sr25519Keyring::Bob, Some(target.p2p_port), None),
		miner("flood-c", KEYS[1], Sr25519Keyring::Charlie, Some(target.p2p_port), None),
	];
	let stop = Arc::new(AtomicBool::new(false));
	let (sent, accepted) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
	let orders = std::thread::scope(|scope| {
		let flooder = scope.spawn(|| flood(&target, &stop, &sent, &accepted));
		// Stops the flood however this thread ends: a scope waits for its threads, so a failed
		// step would otherwise wait for ever instead of failing the test.
		let _stop_on_exit = StopOnDrop(&stop);
		// The honest participants trade through the flooded node.
		let book = post_book(&target, &PROVIDERS, &USERS);
		log(&format!(
			"flood: period {} open at #{}, book posted under the flood",
			book.period, book.start
		));
		let orders = finish_period(&target, book.period);
		stop.store(true, Ordering::Relaxed);
		flooder.join().expect("the flood ends");
		orders
	});
	let health = target.rpc("system_health", json!([]));
	assert!(health["peers"].as_u64() >= Some(1), "the flooded node is up and peered: {health}");
	let (sent, accepted) = (sent.load(Ordering::Relaxed), accepted.load(Ordering::Relaxed));
	assert_eq!(accepted, 0, "no bad transaction entered the pool");
	log(&format!(
		"flood: passed in {} s: {sent} bad transactions and oversized requests refused, none \
		 accepted; {orders} honest orders adopted, settled and paid once through the flooded node",
		started.elapsed().as_secs()
	));
}

/// A mining node of the `dev` chain that only peers with the nodes it is linked to
/// ([`link`]): one half of a split network.
fn reserved_miner(name: &str, key: &str, author: Sr25519Keyring, duty: &str) -> Node {
	let author = author.to_account_id().to_string();
	let mut args = vec!["--chain", "dev", "--validator", "--tmp", "--node-key", key];
	args.extend(["--author", &author, "--mining-duty-cycle", duty, "--reserved-only"]);
	Node::start(name, &args)
}

/// `node`'s p2p address with its peer id.
fn address(node: &Node) -> String {
	let peer = node.rpc("system_localPeerId", json!([]));
	format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", node.p2p_port, peer.as_str().expect("a peer id"))
}

/// Makes `a` and `b` each other's reserved peer, and waits until they are connected.
fn link(a: &Node, b: &Node) {
	a.rpc("system_addReservedPeer", json!([address(b)]));
	b.rpc("system_addReservedPeer", json!([address(a)]));
	a.wait_for("the link", Duration::from_secs(60), || {
		let peers = a.rpc("system_health", json!([]))["peers"].as_u64()?;
		(peers >= 1).then_some(())
	});
}

#[test]
fn a_split_network_joins_again_on_one_history_and_pays_each_order_once() {
	let _alone = alone();
	let started = Instant::now();
	// The light half trades; the heavy half hashes five times as much and wins.
	let light = reserved_miner("split-a", BOOT_KEY, Sr25519Keyring::Alice, "10");
	let light_peer = reserved_miner("split-b", KEYS[0], Sr25519Keyring::Bob, "10");
	let heavy = reserved_miner("split-c", KEYS[1], Sr25519Keyring::Charlie, "50");
	let heavy_key = "0000000000000000000000000000000000000000000000000000000000000004";
	let heavy_peer = reserved_miner("split-d", heavy_key, Sr25519Keyring::Dave, "50");
	link(&light, &light_peer);
	link(&heavy, &heavy_peer);
	let nodes = [&light, &light_peer, &heavy, &heavy_peer];

	// Split: each half trades on its own chain; the light half takes a period to its payouts.
	let book = post_book(&light, &PROVIDERS, &USERS);
	let providers = PROVIDERS.map(|(p, _)| p);
	let (_, abandoned) = market::adopted(&light, book.period, &providers);
	market::read_meters(&light, &abandoned);
	market::settle(&light, &abandoned);
	market::wait_for_payouts(&light, &abandoned);
	let (light_best, heavy_best) = (light.best_number(), heavy.best_number());
	assert_ne!(hash_at(&light, 1), hash_at(&heavy, 1), "the halves mined apart");
	let heavy_first = hash_at(&heavy, 1);
	log(&format!(
		"split: the light half paid {} orders by #{light_best}; the heavy half is at #{heavy_best}",
		abandoned.len()
	));

	// Join.
	link(&light, &heavy);
	link(&light_peer, &heavy_peer);
	heavy.wait_for("one history on every node", Duration::from_secs(300), || {
		let best = nodes.iter().map(|node| node.best_number()).min()?;
		let deep = best.checked_sub(3)?;
		let hashes: Vec<String> = nodes.iter().map(|node| hash_at(node, deep)).collect();
		hashes.iter().all(|hash| *hash == hashes[0]).then_some(())
	});
	assert_eq!(hash_at(&light, 1), heavy_first, "the heavier history won");
	log(&format!(
		"split: joined; every node follows the heavy half's history at #{}",
		light.best_number()
	));

	// The workers recover: a period traded after the join is solved, adopted and paid out.
	let book = post_book(&light, &PROVIDERS, &USERS);
	let (adopted, orders) = market::adopted(&light, book.period, &providers);
	assert_eq!(adopted["source"], json!("submitted"), "a worker's solution: {adopted}");
	market::read_meters(&light, &orders);
	market::settle(&light, &orders);
	market::wait_for_payouts(&light, &orders);

	// One ledger: every order paid at most once, and only orders this history opened; every
	// node's balances add up to the issuance, and all hold the same state.
	let (opened, paid) = common::ledger::opened_and_paid(&heavy);
	for order in &paid {
		assert!(opened.contains(order), "order {order} paid but never opened in this history");
		assert_eq!(paid.iter().filter(|p| *p == order).count(), 1, "order {order} paid twice");
	}
	for order in &orders {
		assert!(paid.contains(&order["id"].as_u64().unwrap()), "{order} unpaid");
	}
	let deep = nodes.iter().map(|node| node.best_number()).min().unwrap() - 3;
	let at = hash_at(&heavy, deep);
	let (issuance, balances) = common::ledger::issuance_and_balances(&light, &at);
	assert_eq!(issuance, balances, "the balances add up to the issuance");
	let root = |node: &Node| node.rpc("chain_getHeader", json!([at]))["stateRoot"].clone();
	assert!(nodes.iter().all(|node| root(node) == root(&heavy)), "one state at #{deep}");
	log(&format!(
		"split: passed in {} s: {} orders paid on the abandoned half are not in the history; \
		 {} opened and {} paid once in it; balances add up on every node",
		started.elapsed().as_secs(),
		abandoned.len(),
		opened.len(),
		paid.len()
	));
}
