//! The experiment's networks: a chain spec per chain, the mining node processes, a delaying
//! link between every two nodes of a chain, and the check that no node reaches another but
//! through its link.
//!
//! Addresses, all on loopback: each node listens for peers on `127.0.0.1`; each link listens on
//! `127.0.0.2` and dials its node from `127.0.0.3`. Nodes accept only their reserved peers, and
//! each node's reserved peers are the other nodes of its chain at their links' addresses.
//! Everything the network starts ends with it: dropping a [`Network`] (also on a panic or an
//! error while it starts) kills its nodes, stops its links and deletes the nodes' databases.

use crate::{
	delay,
	load::{sender, SENDER_ENDOWMENT},
	rpc::{unhex, Rpc},
};
use gridshard_primitives::Hash;
use gridshard_solver::generate::SplitMix;
use serde_json::{json, Value};
use sp_core::{crypto::Ss58Codec, Pair};
use sp_keyring::Sr25519Keyring;
use std::{
	collections::HashSet,
	net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener},
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};

/// Where nodes listen for their peers.
const NODE_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
/// Where the links listen.
const LINK_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// Where the links dial their nodes from.
const LINK_SOURCE_IP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

/// The experiment chains' first difficulty: the runtime's least, a thousand hashes, so that
/// a simulated miner's seal costs about a millisecond.
const INITIAL_DIFFICULTY: u64 = 1_000;

/// How long a node may take to answer RPC, and a network to connect.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// One chain of a topology: its name, the runtime preset it starts from, its miners.
#[derive(Clone, Debug)]
pub struct ChainPlan {
	/// A name for logs and output.
	pub name: String,
	/// The genesis preset (`region-1`, ...).
	pub preset: String,
	/// Its mining nodes.
	pub miners: usize,
	/// Approved market participants added at genesis: this many providers and as many users
	/// ([`crate::market::participants`]).
	pub participants: u32,
	/// Whether its nodes run the off-chain worker (which solves each period's assignment).
	pub offchain_worker: bool,
}

/// The chains of one side of the experiment.
#[derive(Clone, Debug)]
pub struct Topology {
	/// `single` or `sharded`.
	pub name: String,
	/// Its chains.
	pub chains: Vec<ChainPlan>,
	/// The coordinating chain that follows the regional chains, if any: a relay per region
	/// feeds it their headers and proves their records ([`Network::start`]).
	pub coordinator: Option<ChainPlan>,
}

impl ChainPlan {
	/// Chain `name` of `miners` nodes from runtime preset `preset`, without market participants
	/// or off-chain workers.
	pub fn new(name: &str, preset: &str, miners: usize) -> Self {
		Self {
			name: name.into(),
			preset: preset.into(),
			miners,
			participants: 0,
			offchain_worker: false,
		}
	}
}

impl Topology {
	/// One chain of `miners` mining nodes (region 1's runtime preset).
	pub fn single_chain(miners: usize) -> Self {
		Self {
			name: "single".into(),
			chains: vec![ChainPlan::new("single", "region-1", miners)],
			coordinator: None,
		}
	}

	/// `regions` regional chains (at most three: the runtime's regions) of `miners` each.
	pub fn regions(regions: usize, miners: usize) -> Self {
		let chains = (1..=regions.min(3))
			.map(|r| ChainPlan::new(&format!("region-{r}"), &format!("region-{r}"), miners))
			.collect();
		Self { name: "sharded".into(), chains, coordinator: None }
	}

	/// The same topology with a coordinating chain of one mining node at the same target block
	/// time, which a relay per regional chain feeds.
	pub fn with_coordinator(mut self) -> Self {
		self.coordinator = Some(ChainPlan::new("coordinator", "coordinator", 1));
		self
	}

	/// Mining nodes in all its chains.
	pub fn miners(&self) -> usize {
		self.chains.iter().map(|c| c.miners).sum()
	}
}

/// How the networks are run.
#[derive(Clone, Debug)]
pub struct Settings {
	/// The `gridshard-node` binary.
	pub node_binary: PathBuf,
	/// A directory for chain specs, databases and logs (databases are deleted at the end).
	pub work: PathBuf,
	/// Each chain's mean block interval: every miner of a chain of `n` waits `n` times this
	/// on average for each block (the simulated miner of `--simulated-mining-mean-ms`).
	pub block_time: Duration,
	/// Each link's delay is drawn uniformly from this range, in milliseconds.
	pub delay_ms: (u64, u64),
	/// The seed of the delays.
	pub seed: u64,
	/// Accounts funded at genesis on every chain to send the load.
	pub senders: u32,
}

/// A node process, killed when dropped.
pub struct Node {
	/// `<chain>-<index>`.
	pub name: String,
	/// Its RPC endpoint.
	pub rpc: Rpc,
	/// Its port for peers on `127.0.0.1`.
	pub p2p_port: u16,
	/// Its libp2p peer ID.
	pub peer_id: String,
	/// Its log file.
	pub log: PathBuf,
	binary: PathBuf,
	args: Vec<String>,
	/// Its peers' addresses at their links.
	reserved: Vec<String>,
	child: Child,
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Node {
	/// Starts the node process, its log appended to `log`.
	fn spawn(binary: &Path, args: &[String], log: &Path) -> Result<Child, String> {
		let log_file = std::fs::OpenOptions::new()
			.create(true)
			.append(true)
			.open(log)
			.map_err(|e| format!("{}: {e}", log.display()))?;
		Command::new(binary)
			.args(args)
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.map_err(|e| format!("{}: {e}", binary.display()))
	}

	/// Waits until the node answers RPC; its peer ID.
	fn wait_ready(&mut self) -> Result<String, String> {
		let started = Instant::now();
		loop {
			if let Ok(peer_id) = self.rpc.call("system_localPeerId", json!([])) {
				return Ok(peer_id.as_str().ok_or("a peer ID")?.to_string());
			}
			if self.child.try_wait().map_err(|e| e.to_string())?.is_some()
				|| started.elapsed() > START_TIMEOUT
			{
				let log = std::fs::read_to_string(&self.log).unwrap_or_default();
				let tail: Vec<&str> = log.lines().rev().take(10).collect();
				return Err(format!(
					"{} did not start; its log ends:\n{}",
					self.name,
					tail.into_iter().rev().collect::<Vec<_>>().join("\n")
				));
			}
			std::thread::sleep(Duration::from_millis(200));
		}
	}

	/// Adds the peer at `address` (a link's) to the running node's reserved peers.
	fn add_reserved_peer(&self, address: &str) -> Result<(), String> {
		self.rpc
			.call("system_addReservedPeer", json!([address]))
			.map(|_| ())
			.map_err(|e| format!("{}: {e}", self.name))
	}

	/// Adds the peer at `address` to the node's reserved peers, and remembers it for restarts.
	fn reserve(&mut self, address: String) -> Result<(), String> {
		self.add_reserved_peer(&address)?;
		self.reserved.push(address);
		Ok(())
	}

	/// Stops the node and starts it again on its database: its transaction pool starts empty.
	pub fn restart(&mut self) -> Result<(), String> {
		let _ = self.child.kill();
		let _ = self.child.wait();
		self.child = Self::spawn(&self.binary, &self.args, &self.log)?;
		self.wait_ready()?;
		self.reserved.iter().try_for_each(|address| self.add_reserved_peer(address))
	}
}

/// A running chain.
pub struct Chain {
	/// Its name.
	pub name: String,
	/// Its nodes, all mining.
	pub nodes: Vec<Node>,
	/// Its genesis hash.
	pub genesis: Hash,
}

/// A running topology: its chains and the links between their nodes.
pub struct Network {
	/// The topology's name.
	pub name: String,
	/// Its chains.
	pub chains: Vec<Chain>,
	/// The coordinating chain, if the topology has one.
	pub coordinator: Option<Chain>,
	/// The links' delays, in milliseconds.
	pub delays_ms: Vec<u64>,
	links: Option<tokio::runtime::Runtime>,
	relays: Vec<Relay>,
	databases: Vec<PathBuf>,
}

/// A relay process (`gridshard-node relay`) between a regional chain and the coordinator,
/// killed when dropped.
struct Relay(Child);

impl Drop for Relay {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

/// Each region's genesis proxy in the runtime's presets, which its relay signs with, and three
/// of the coordinator's council members, who register the region by a motion (a different
/// proposer each, as `scripts/zombienet-regions.sh` does).
const RELAY_KEYS: [(&str, &str); 3] = [
	("//Eve", "//Alice,//Bob,//Charlie"),
	("//Ferdie", "//Bob,//Charlie,//Dave"),
	("//Charlie", "//Charlie,//Dave,//Alice"),
];

/// Starts the relay of regional chain `region` (1-based) from `source` to `coordinator`, its
/// log in `dir` (also its working directory, so that [`processes_in`] finds it).
fn start_relay(
	settings: &Settings,
	region: usize,
	source: &Node,
	coordinator: &Node,
	dir: &Path,
) -> Result<Relay, String> {
	let (signer, council) =
		RELAY_KEYS.get(region - 1).ok_or_else(|| format!("no proxy for region {region}"))?;
	let log = dir.join(format!("relay-{region}.log"));
	let log = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
	Command::new(&settings.node_binary)
		.args(["relay", "--region", &region.to_string(), "--region-rpc", source.rpc.url()])
		.args(["--coordinator-rpc", coordinator.rpc.url(), "--signer", signer])
		.args(["--register-with-council", council])
		.current_dir(dir)
		.stdout(Stdio::null())
		.stderr(log)
		.spawn()
		.map(Relay)
		.map_err(|e| format!("relay {region}: {e}"))
}

impl Drop for Network {
	fn drop(&mut self) {
		self.relays.clear();
		self.coordinator = None;
		self.chains.clear();
		if let Some(links) = self.links.take() {
			links.shutdown_background();
		}
		for database in &self.databases {
			let _ = std::fs::remove_dir_all(database);
		}
	}
}

/// The processes whose command line names `dir` (the nodes started there): PID and command line.
pub fn processes_in(dir: &Path) -> Vec<(u32, String)> {
	let needle = dir.to_string_lossy().to_string();
	std::fs::read_dir("/proc")
		.into_iter()
		.flatten()
		.flatten()
		.filter_map(|entry| {
			let pid = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
			let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
			let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
			let cwd = std::fs::read_link(entry.path().join("cwd")).ok();
			let inside = cwd.is_some_and(|cwd| cwd.starts_with(dir));
			(cmdline.contains(&needle) || inside).then_some((pid, cmdline))
		})
		.collect()
}

/// Kills every process whose command line names `dir` or that runs in it: what a signal that
/// ends the experiment before its networks are dropped would leave behind.
pub fn kill_processes_in(dir: &Path) {
	for (pid, _) in processes_in(dir) {
		let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
	}
}

/// A port the OS has free on `ip` (the race until the node binds it is benign here).
fn free_port(ip: Ipv4Addr) -> Result<u16, String> {
	let listener = TcpListener::bind((ip, 0)).map_err(|e| format!("a free port: {e}"))?;
	listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Polls `check` every 200 ms until it answers `Some`, or fails naming `what` after `timeout`.
pub fn wait_for<T>(
	what: &str,
	timeout: Duration,
	mut check: impl FnMut() -> Option<T>,
) -> Result<T, String> {
	let start = Instant::now();
	loop {
		if let Some(value) = check() {
			return Ok(value);
		}
		if start.elapsed() > timeout {
			return Err(format!("timed out after {timeout:?} waiting for {what}"));
		}
		std::thread::sleep(Duration::from_millis(200));
	}
}

/// The chain spec of `plan` for the experiment: the preset's genesis, the least difficulty,
/// `senders` accounts funded, and the plan's market participants approved and funded.
fn chain_spec(settings: &Settings, plan: &ChainPlan, dir: &Path) -> Result<PathBuf, String> {
	let output = Command::new(&settings.node_binary)
		.args(["build-spec", "--chain", &plan.preset, "--disable-default-bootnode"])
		.stderr(Stdio::null())
		.output()
		.map_err(|e| format!("{}: {e}", settings.node_binary.display()))?;
	if !output.status.success() {
		return Err(format!("build-spec --chain {} failed", plan.preset));
	}
	let mut spec: Value = serde_json::from_slice(&output.stdout)
		.map_err(|e| format!("the chain spec of {}: {e}", plan.preset))?;
	let patch = spec
		.pointer_mut("/genesis/runtimeGenesis/patch")
		.ok_or_else(|| format!("the chain spec of {} has no genesis patch", plan.preset))?;
	patch["difficulty"]["initialDifficulty"] = json!(INITIAL_DIFFICULTY);
	let balances = patch["balances"]["balances"]
		.as_array_mut()
		.ok_or_else(|| format!("the chain spec of {} has no balances", plan.preset))?;
	for index in 0..settings.senders {
		let account = sender(index).public().to_ss58check();
		balances.push(json!([account, SENDER_ENDOWMENT]));
	}
	if plan.participants > 0 {
		let region: u32 =
			plan.preset.strip_prefix("region-").and_then(|r| r.parse().ok()).ok_or_else(|| {
				format!("participants need a regional preset, not {}", plan.preset)
			})?;
		let participants = crate::market::participants(plan.participants);
		for participant in &participants {
			balances.push(json!([participant.account(), SENDER_ENDOWMENT]));
		}
		let registry = patch["registration"]["participants"]
			.as_array_mut()
			.ok_or_else(|| format!("the chain spec of {} has no participants", plan.preset))?;
		registry.extend(participants.iter().map(|p| p.genesis(region)));
	}
	// A live chain's nodes neither dial private addresses they discover nor put the loopback
	// addresses peers report about themselves into their tables: they reach each other only at
	// the links' addresses they were given.
	spec["chainType"] = json!("Live");
	let path = dir.join(format!("{}.json", plan.name));
	std::fs::write(&path, spec.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
	Ok(path)
}

/// The node key of node `name`: its name hashed, so that each run's peer IDs are the same.
fn node_key(name: &str) -> String {
	crate::rpc::hex(&sp_crypto_hashing::blake2_256(name.as_bytes()))[2..].to_string()
}

/// Starts node `index` of `plan`'s chain whose spec is `spec`, mining at a mean of `mean` per
/// block.
fn start_node(
	settings: &Settings,
	plan: &ChainPlan,
	index: usize,
	spec: &Path,
	mean: Duration,
	dir: &Path,
) -> Result<Node, String> {
	let name = format!("{}-{index}", plan.name);
	let (rpc_port, p2p_port) = (free_port(NODE_IP)?, free_port(NODE_IP)?);
	let log = dir.join(format!("{name}.log"));
	let author = Sr25519Keyring::Alice.to_account_id().to_ss58check();
	let args: Vec<String> = [
		"--chain",
		&spec.to_string_lossy(),
		"--base-path",
		&dir.join(&name).to_string_lossy(),
		"--name",
		&name,
		"--validator",
		"--author",
		&author,
		"--node-key",
		&node_key(&name),
		"--mining-threads",
		"1",
		"--simulated-mining-mean-ms",
		&mean.as_millis().to_string(),
		"--listen-addr",
		&format!("/ip4/{NODE_IP}/tcp/{p2p_port}"),
		"--rpc-port",
		&rpc_port.to_string(),
		"--rpc-methods",
		"unsafe",
		"--rpc-max-connections",
		"1000",
		"--rpc-max-response-size",
		"100",
		// The libp2p backend, on a live chain, dials a reserved peer only at the addresses it
		// was given; litep2p's address book also takes the addresses peers report.
		"--network-backend",
		"libp2p",
		"--reserved-only",
		"--no-mdns",
		"--no-telemetry",
		"--no-prometheus",
		"--pool-limit",
		"100000",
		"--pool-kbytes",
		"500000",
		"--offchain-worker",
		if plan.offchain_worker { "always" } else { "never" },
	]
	.map(String::from)
	.to_vec();
	let _ = std::fs::remove_file(&log);
	let child = Node::spawn(&settings.node_binary, &args, &log)?;
	let mut node = Node {
		name,
		rpc: Rpc::new(rpc_port),
		p2p_port,
		peer_id: String::new(),
		log,
		binary: settings.node_binary.clone(),
		args,
		reserved: Vec::new(),
		child,
	};
	node.peer_id = node.wait_ready()?;
	Ok(node)
}

impl Network {
	/// Starts `topology`: its chains' nodes, the links between each two nodes of a chain, and
	/// waits until every node has all its chain's other nodes as peers and every chain has
	/// mined a block.
	pub fn start(topology: &Topology, settings: &Settings) -> Result<Self, String> {
		let dir = settings.work.join(&topology.name);
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
		let links = tokio::runtime::Builder::new_multi_thread()
			.worker_threads(1)
			.thread_name("delay-link")
			.enable_all()
			.build()
			.map_err(|e| format!("the links' runtime: {e}"))?;
		let mut network = Network {
			name: topology.name.clone(),
			chains: Vec::new(),
			coordinator: None,
			delays_ms: Vec::new(),
			links: None,
			relays: Vec::new(),
			databases: Vec::new(),
		};
		let mut random = SplitMix(settings.seed);
		for plan in &topology.chains {
			let spec = chain_spec(settings, plan, &dir)?;
			let mean = settings.block_time * plan.miners as u32;
			let mut nodes = Vec::new();
			for index in 0..plan.miners {
				network.databases.push(dir.join(format!("{}-{index}", plan.name)));
				nodes.push(start_node(settings, plan, index, &spec, mean, &dir)?);
			}
			for a in 0..nodes.len() {
				for b in a + 1..nodes.len() {
					let (low, high) = settings.delay_ms;
					let delay = random.range(low, high);
					network.delays_ms.push(delay);
					for (from, to) in [(a, b), (b, a)] {
						let link = open_link(&links, &nodes[to], Duration::from_millis(delay))?;
						let address =
							format!("/ip4/{LINK_IP}/tcp/{}/p2p/{}", link, nodes[to].peer_id);
						nodes[from].reserve(address)?;
					}
				}
			}
			let genesis = nodes[0].rpc.call("chain_getBlockHash", json!([0]))?;
			let genesis = Hash::from_slice(&unhex(genesis.as_str().ok_or("a genesis hash")?)?);
			network.chains.push(Chain { name: plan.name.clone(), nodes, genesis });
		}
		network.links = Some(links);
		network.wait_until_connected()?;
		if let Some(plan) = &topology.coordinator {
			let spec = chain_spec(settings, plan, &dir)?;
			let mean = settings.block_time * plan.miners.max(1) as u32;
			network.databases.push(dir.join(format!("{}-0", plan.name)));
			let node = start_node(settings, plan, 0, &spec, mean, &dir)?;
			wait_for(&format!("{}'s first block", plan.name), START_TIMEOUT * 2, || {
				(node.rpc.best_number().ok()? >= 1).then_some(())
			})?;
			for (index, chain) in network.chains.iter().enumerate() {
				network.relays.push(start_relay(
					settings,
					index + 1,
					&chain.nodes[0],
					&node,
					&dir,
				)?);
			}
			let genesis = node.rpc.call("chain_getBlockHash", json!([0]))?;
			let genesis = Hash::from_slice(&unhex(genesis.as_str().ok_or("a genesis hash")?)?);
			network.coordinator =
				Some(Chain { name: plan.name.clone(), nodes: vec![node], genesis });
		}
		let direct = network.direct_connections()?;
		if !direct.is_empty() {
			let ports: Vec<String> = network
				.chains
				.iter()
				.flat_map(|c| c.nodes.iter().map(|n| format!("{} {}", n.name, n.p2p_port)))
				.collect();
			return Err(format!(
				"direct connections between nodes bypass the links: {} (peer ports: {})",
				direct.join(", "),
				ports.join(", ")
			));
		}
		Ok(network)
	}

	/// Restarts every node on its database, all at once, and waits until they are connected
	/// again and each has imported a block since (the fork-aware pool takes transactions at
	/// once only when it has a view of a best block it was told of): every pool starts empty.
	pub fn restart(&mut self) -> Result<(), String> {
		std::thread::scope(|scope| {
			let restarts: Vec<_> = self
				.chains
				.iter_mut()
				.flat_map(|chain| chain.nodes.iter_mut())
				.map(|node| scope.spawn(move || node.restart()))
				.collect();
			restarts.into_iter().try_for_each(|restart| {
				restart.join().unwrap_or_else(|_| Err("a restart panicked".into()))
			})
		})?;
		self.wait_until_connected()?;
		for chain in &self.chains {
			let best = |node: &Node| node.rpc.best_number().ok();
			let now = chain.nodes.iter().filter_map(best).max().unwrap_or(0);
			for node in &chain.nodes {
				let what = format!("{} to import a block above #{now}", node.name);
				wait_for(&what, START_TIMEOUT, || (best(node)? > now).then_some(()))?;
			}
		}
		Ok(())
	}

	/// Waits until every node has its chain's other nodes as peers and has a block above
	/// genesis.
	fn wait_until_connected(&self) -> Result<(), String> {
		for chain in &self.chains {
			let peers = chain.nodes.len() - 1;
			for node in &chain.nodes {
				wait_for(&format!("{} to have {peers} peers", node.name), START_TIMEOUT, || {
					let health = node.rpc.call("system_health", json!([])).ok()?;
					(health["peers"].as_u64()? as usize >= peers).then_some(())
				})?;
			}
			let first = &chain.nodes[0];
			wait_for(&format!("{}'s first block", chain.name), START_TIMEOUT * 2, || {
				(first.rpc.best_number().ok()? >= 1).then_some(())
			})?;
		}
		Ok(())
	}

	/// Established TCP connections that join two nodes' peer ports without a link: both ends on
	/// `127.0.0.1`, one of them a node's peer port (`/proc/net/tcp`), as `local -> remote`.
	pub fn direct_connections(&self) -> Result<Vec<String>, String> {
		let ports: HashSet<u16> =
			self.chains.iter().flat_map(|c| c.nodes.iter().map(|n| n.p2p_port)).collect();
		let table = std::fs::read_to_string("/proc/net/tcp").map_err(|e| format!("{e}"))?;
		let endpoint = |field: &str| -> Option<(Ipv4Addr, u16)> {
			let (ip, port) = field.split_once(':')?;
			let ip = u32::from_str_radix(ip, 16).ok()?;
			Some((Ipv4Addr::from(ip.swap_bytes()), u16::from_str_radix(port, 16).ok()?))
		};
		let direct = table
			.lines()
			.skip(1)
			.filter_map(|line| {
				let fields: Vec<&str> = line.split_whitespace().collect();
				// State 01: established.
				(fields.get(3) == Some(&"01")).then_some(())?;
				Some((endpoint(fields.get(1)?)?, endpoint(fields.get(2)?)?))
			})
			.filter(|((local_ip, local_port), (remote_ip, remote_port))| {
				*local_ip == NODE_IP
					&& *remote_ip == NODE_IP
					&& (ports.contains(local_port) || ports.contains(remote_port))
			})
			.map(|((_, local), (_, remote))| format!("127.0.0.1:{local} -> 127.0.0.1:{remote}"))
			.collect();
		Ok(direct)
	}
}

/// Opens a link to `node` with `delay` on the links' runtime; its port on [`LINK_IP`].
fn open_link(links: &tokio::runtime::Runtime, node: &Node, delay: Duration) -> Result<u16, String> {
	let listener = links
		.block_on(tokio::net::TcpListener::bind((LINK_IP, 0)))
		.map_err(|e| format!("a link's listener: {e}"))?;
	let port = listener.local_addr().map_err(|e| e.to_string())?.port();
	let target = SocketAddr::new(IpAddr::V4(NODE_IP), node.p2p_port);
	links.spawn(delay::serve(listener, target, IpAddr::V4(LINK_SOURCE_IP), delay));
	Ok(port)
}
