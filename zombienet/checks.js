// Checks of the zombienet scenarios, run by zombienet's `js-script` with the arguments
// "<check>,<n>" (zombienet splits them at the comma). Each check polls until it holds, and
// returns 1, or returns 0 when it still does not hold after WAIT_MS (zombienet's "within"
// only bounds the script's run time, it does not retry it).
//
// - peers,N:  this node has at least N peers;
// - agree,D:  every node of the network has the same block hash D blocks below the lowest best
//             block (PoW has short forks near the tip; D blocks deep they are settled);
// - mining,B: this node's `mining_status` says mining = B (1 or 0);
// - regions,N,URL1,URL2,..: on the coordinator, the light client of region i (its node's HTTP
//             RPC at URLi) has confirmed at least N headers, every confirmed header is the
//             region's own block at that height, in the coordinator's best chain, and its best
//             lags the region's by at most FOLLOW_LAG blocks.
// - records,N,HONEST,LIAR: on the coordinator, each region of HONEST (ids joined by `+`) has at
//             least N records verified and none corrected, and region LIAR has at least N
//             corrected, its proxy slashed for a false record and suspended.

const WAIT_MS = 100 * 1000;
const POLL_MS = 2000;
// Regions confirm only after their chains mine `k` blocks beyond what is asked.
const REGIONS_WAIT_MS = 840 * 1000;
// How many blocks the coordinator's view of a region may lag behind the region's best: the relay
// polls every 2 s and its batch waits for a coordinator block.
const FOLLOW_LAG = 8;

async function connect(node, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[node];
  return zombie.connect(wsUri, userDefinedTypes);
}

async function poll(label, check, waitMs = WAIT_MS) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [ok, detail] = await check();
    if (ok || Date.now() > deadline) {
      console.log(`${label}: ${ok ? "holds" : "does not hold"}: ${detail}`);
      return ok ? 1 : 0;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function run(nodeName, networkInfo, args) {
  const [check, value] = args;
  const n = parseInt(value, 10);

  if (check === "peers") {
    const api = await connect(nodeName, networkInfo);
    return poll(`${nodeName} has ${n} peers`, async () => {
      const peers = (await api.rpc.system.health()).peers.toNumber();
      return [peers >= n, `${peers} peers`];
    });
  }

  if (check === "mining") {
    const provider = new zombie.WsProvider(networkInfo.nodesByName[nodeName].wsUri);
    await provider.isReady;
    return poll(`${nodeName} mining = ${n === 1}`, async () => {
      const status = await provider.send("mining_status", []);
      return [(status.mining ? 1 : 0) === n, JSON.stringify(status)];
    });
  }

  if (check === "agree") {
    const names = Object.keys(networkInfo.nodesByName);
    const apis = await Promise.all(names.map((name) => connect(name, networkInfo)));
    return poll(`all ${names.length} nodes agree ${n} blocks deep`, async () => {
      const bests = await Promise.all(
        apis.map(async (api) => (await api.rpc.chain.getHeader()).number.toNumber()),
      );
      const depth = Math.min(...bests) - n;
      if (depth < 1) {
        return [false, `best blocks ${bests}`];
      }
      const hashes = await Promise.all(
        apis.map(async (api) => (await api.rpc.chain.getBlockHash(depth)).toHex()),
      );
      const agree = hashes.every((hash) => hash === hashes[0]);
      return [agree, `best blocks ${bests}; at #${depth}: ${agree ? hashes[0] : hashes}`];
    });
  }

  if (check === "regions") {
    const urls = args.slice(2);
    const provider = new zombie.WsProvider(networkInfo.nodesByName[nodeName].wsUri);
    await provider.isReady;
    const http = async (url, method, params) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return (await response.json()).result;
    };
    return poll(`${urls.length} regions confirmed ${n} deep, each the region's own blocks`, async () => {
      const views = await provider.send("shardProxy_regions", []);
      const details = [];
      for (let i = 0; i < urls.length; i++) {
        const region = i + 1;
        const view = views.find((v) => v.region === region);
        if (!view || view.confirmed.number < n) {
          return [false, `region ${region}: ${JSON.stringify(view)}`];
        }
        for (let number = 1; number <= view.confirmed.number; number++) {
          const hash = await http(urls[i], "chain_getBlockHash", [number]);
          const stored = await provider.send("shardProxy_header", [region, hash]);
          if (!stored || stored.bestChainDepth === null) {
            return [false, `region ${region} #${number} ${hash} is not confirmed on the coordinator`];
          }
        }
        const best = await http(urls[i], "chain_getHeader", []);
        const lag = parseInt(best.number, 16) - view.best.number;
        if (lag > FOLLOW_LAG) {
          return [false, `region ${region}: the light client lags ${lag} blocks`];
        }
        details.push(`region ${region}: best #${parseInt(best.number, 16)}, followed #${view.best.number}, confirmed #${view.confirmed.number}`);
      }
      return [true, details.join("; ")];
    }, REGIONS_WAIT_MS);
  }

  if (check === "records") {
    const honest = args[2].split("+").map((id) => parseInt(id, 10));
    const liar = parseInt(args[3], 10);
    const provider = new zombie.WsProvider(networkInfo.nodesByName[nodeName].wsUri);
    await provider.isReady;
    const count = async (region, status) =>
      (await provider.send("shardProxy_records", [region, null, null])).filter((r) => r.status === status).length;
    return poll(`regions ${honest.join(", ")} verified, region ${liar} corrected and slashed`, async () => {
      const details = [];
      for (const region of honest) {
        const verified = await count(region, "verified");
        const corrected = await count(region, "corrected");
        if (verified < n || corrected > 0) {
          return [false, `region ${region}: ${verified} verified, ${corrected} corrected`];
        }
        details.push(`region ${region}: ${verified} verified`);
      }
      const corrected = await count(liar, "corrected");
      const slashes = (await provider.send("shardProxy_slashes", [])).filter(
        (s) => s.region === liar && s.reason === "falseRecord",
      );
      const proxy = (await provider.send("shardProxy_proxies", [])).find((p) => p.region === liar);
      if (corrected < n || slashes.length === 0 || !proxy || !proxy.suspended) {
        return [false, `region ${liar}: ${corrected} corrected, ${slashes.length} slashes, proxy ${JSON.stringify(proxy)}`];
      }
      details.push(`region ${liar}: ${corrected} corrected, proxy slashed ${slashes[0].amount} and suspended`);
      return [true, details.join("; ")];
    }, REGIONS_WAIT_MS);
  }

  throw new Error(`unknown check ${check}`);
}

module.exports = { run };
