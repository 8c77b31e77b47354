// Checks of the zombienet scenarios, run by zombienet's `js-script` with one argument
// "<check>,<n>"; each returns 1 when the check holds and 0 when it does not (yet).
//
// - peers,N:  this node has at least N peers;
// - agree,D:  every node of the network has the same block hash at D blocks below the lowest
//             best block (PoW has short forks near the tip; D blocks deep they are settled);
// - mining,B: this node's `mining_status` says mining = B (1 or 0).

async function connect(node, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[node];
  return zombie.connect(wsUri, userDefinedTypes);
}

async function run(nodeName, networkInfo, args) {
  const [check, value] = args[0].split(",");
  const n = parseInt(value, 10);
  const api = await connect(nodeName, networkInfo);

  if (check === "peers") {
    const health = await api.rpc.system.health();
    const peers = health.peers.toNumber();
    console.log(`${nodeName}: ${peers} peers`);
    return peers >= n ? 1 : 0;
  }

  if (check === "mining") {
    const status = await api.provider.send("mining_status", []);
    console.log(`${nodeName}: mining_status ${JSON.stringify(status)}`);
    return (status.mining ? 1 : 0) === n ? 1 : 0;
  }

  if (check === "agree") {
    const names = Object.keys(networkInfo.nodesByName);
    const apis = await Promise.all(names.map((name) => connect(name, networkInfo)));
    const bests = await Promise.all(
      apis.map(async (a) => (await a.rpc.chain.getHeader()).number.toNumber()),
    );
    const depth = Math.min(...bests) - n;
    if (depth < 1) {
      console.log(`best blocks ${bests}: not yet ${n} deep`);
      return 0;
    }
    const hashes = await Promise.all(
      apis.map(async (a) => (await a.rpc.chain.getBlockHash(depth)).toHex()),
    );
    const agree = hashes.every((h) => h === hashes[0]);
    console.log(`best blocks ${bests}; at #${depth}: ${agree ? "all agree on " + hashes[0] : hashes}`);
    return agree ? 1 : 0;
  }

  throw new Error(`unknown check ${check}`);
}

module.exports = { run };
