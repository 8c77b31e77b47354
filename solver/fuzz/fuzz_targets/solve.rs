//! The solver against brute force on small problems whose loads and profits reach the limits:
//! for the internal form, the market and both plain GAP objectives, every answer is feasible
//! and scored as reported, the unlimited search proves the brute-force optimum, a node-limited
//! one keeps `profit <= optimum <= bound`, the same input gives the same answer, values translate
//! back exactly, and the neighbourhoods only improve. Bad input must be refused with a named
//! error, never a panic or an overflow (the targets build with overflow checks).

#![no_main]

use arbitrary::{Result, Unstructured};
use gridshard_solver::{
	check, heuristic, lagrangian::Guide, neighbourhood, problem::MAX_LOAD, search, solve,
	Assignment, Market, Model, Problem, Value,
};
use gridshard_solver_fuzz::{
	all_assignments, brute_force, load, market, problem_parts, refusal_is_due,
};
use libfuzzer_sys::fuzz_target;

/// At most this many items (requests, jobs): brute force visits `(agents + 1)^items`.
const ITEMS: usize = 6;
/// At most this many agents (providers): four lets the neighbourhoods (three agents at a
/// time) choose.
const AGENTS: usize = 4;

fuzz_target!(|data: &[u8]| {
	let mut u = Unstructured::new(data);
	let _ = case(&mut u);
});

fn case(u: &mut Unstructured) -> Result<()> {
	let budget = u.int_in_range(0..=64)?;
	match u.int_in_range(0u8..=3)? {
		0 => internal(u, budget),
		1 => market_case(u, budget),
		mode => gap_case(u, budget, mode == 2),
	}
}

/// The internal form, its search and its neighbourhoods.
fn internal(u: &mut Unstructured, budget: u64) -> Result<()> {
	let (capacities, pairs) = problem_parts(u, ITEMS, AGENTS)?;
	let Ok(problem) = Problem::new(capacities.clone(), pairs.clone()) else {
		assert!(refusal_is_due(&capacities, &pairs), "a well-formed problem refused");
		return Ok(());
	};
	let optimum = brute_force(&problem);
	check_search(&problem, &Guide::General, optimum, budget);

	let order: Vec<usize> = (0..problem.items()).rev().collect();
	let before = heuristic::greedy(&problem, &order, |_, p| p.profit as i128);
	let mut after = before.clone();
	neighbourhood::improve(&problem, &Guide::General, &mut after, &mut |_| false);
	assert_eq!(check::score(&problem, &after.assignment), Ok(after.profit));
	let mut spare = problem.capacities().to_vec();
	for (item, agent) in after.assignment.iter().enumerate() {
		if let Some(agent) = agent {
			spare[*agent as usize] -= problem.pair(item, *agent).expect("scored above").load;
		}
	}
	assert_eq!(spare, after.residual, "spare capacities out of step with the assignment");
	assert!(before.profit <= after.profit && after.profit <= optimum);
	let mut again = before;
	neighbourhood::improve(&problem, &Guide::General, &mut again, &mut |_| false);
	assert_eq!(again, after, "neighbourhoods not deterministic");
	Ok(())
}

/// The market's lexicographic objective, against a brute force in energy and weight.
fn market_case(u: &mut Unstructured, budget: u64) -> Result<()> {
	let market = market(u, ITEMS, AGENTS)?;
	let Ok(model) = Model::market(&market) else {
		assert!(market_refusal_is_due(&market), "a well-formed market refused: {market:?}");
		return Ok(());
	};
	let best = all_assignments(market.requests.len(), market.capacities.len())
		.filter(|a| check::score(&model.problem, a).is_ok())
		.map(|a| energy_and_weight(&market, &a))
		.max()
		.expect("leaving everything unserved is feasible");
	let optimum = brute_force(&model.problem);
	let outcome = check_search(&model.problem, &model.guide(), optimum, budget);
	let solved = solve(&model, u64::MAX);
	let (energy, weight) = energy_and_weight(&market, &solved.outcome.assignment);
	assert_eq!(solved.value, Value::Market { energy, weight }, "value misread");
	assert_eq!((energy, weight), best, "not the most energy, then the most weight");
	let (energy, weight) = energy_and_weight(&market, &outcome.assignment);
	assert_eq!(model.value(outcome.profit), Value::Market { energy, weight });
	Ok(())
}

/// Whether `Model::market` had a reason to refuse `market`: a request of no energy or above
/// the limit, a pair naming something that does not exist or listed twice, or a capacity above
/// the limit (profits stay far below theirs with this few requests).
fn market_refusal_is_due(market: &Market) -> bool {
	let (n, m) = (market.requests.len() as u32, market.capacities.len() as u32);
	let mut seen: Vec<(u32, u32)> = market.pairs.iter().map(|(i, j, _)| (*i, *j)).collect();
	seen.sort();
	market.requests.iter().any(|r| *r == 0 || *r > MAX_LOAD)
		|| market.capacities.iter().any(|c| *c > MAX_LOAD)
		|| market.pairs.iter().any(|(i, j, _)| *i >= n || *j >= m)
		|| seen.windows(2).any(|w| w[0] == w[1])
}

/// Energy served and total weight of `assignment`, read from the market itself.
fn energy_and_weight(market: &Market, assignment: &Assignment) -> (u128, u128) {
	let mut total = (0, 0);
	for (request, provider) in assignment.iter().enumerate() {
		let Some(provider) = provider else { continue };
		let (_, _, weight) = market
			.pairs
			.iter()
			.find(|(i, j, _)| *i as usize == request && j == provider)
			.expect("assigned pairs are allowed");
		total.0 += market.requests[request] as u128;
		total.1 += *weight as u128;
	}
	total
}

/// A plain GAP, every job assigned, maximised or minimised.
fn gap_case(u: &mut Unstructured, budget: u64, maximise: bool) -> Result<()> {
	let m = u.int_in_range(0..=AGENTS)?;
	let n = u.int_in_range(0..=ITEMS)?;
	let value = |u: &mut Unstructured| -> Result<u64> {
		Ok(match u.int_in_range(0u8..=5)? {
			0 => u64::MAX - u.int_in_range(0..=9)?,
			_ => u.int_in_range(0..=50)?,
		})
	};
	let matrix = |u: &mut Unstructured, f: &dyn Fn(&mut Unstructured) -> Result<u64>| {
		(0..m).map(|_| (0..n).map(|_| f(u)).collect::<Result<Vec<_>>>()).collect::<Result<Vec<_>>>()
	};
	let values = matrix(u, &value)?;
	let loads = matrix(u, &load)?;
	let capacities = (0..m).map(|_| load(u)).collect::<Result<Vec<_>>>()?;
	let Ok(model) = Model::gap(&values, &loads, capacities.clone(), maximise) else {
		let over = loads.iter().flatten().chain(&capacities).any(|l| *l > MAX_LOAD);
		assert!(m == 0 || over, "a well-formed GAP refused");
		return Ok(());
	};
	let total = |a: &Assignment| -> i128 {
		a.iter().enumerate().map(|(i, j)| values[j.unwrap() as usize][i] as i128).sum()
	};
	let complete = all_assignments(n, m)
		.filter(|a| a.iter().all(Option::is_some) && check::score(&model.problem, a).is_ok());
	let best = if maximise {
		complete.map(|a| total(&a)).max()
	} else {
		complete.map(|a| total(&a)).min()
	};
	let optimum = brute_force(&model.problem);
	check_search(&model.problem, &model.guide(), optimum, budget);
	let solved = solve(&model, u64::MAX);
	match best {
		Some(best) => {
			assert_eq!(solved.value, Value::Total(best), "not the best complete assignment");
			assert_eq!(solved.bound, Some(best));
		}
		None => {
			assert_eq!(solved.value, Value::Incomplete);
			if !maximise {
				assert_eq!(solved.bound, None, "no complete assignment, yet a bound");
			}
		}
	}
	Ok(())
}

/// A node-limited search on `problem` (run twice: the same answer) and an unlimited one,
/// checked against the brute-force `optimum`; returns the node-limited outcome.
fn check_search(problem: &Problem, guide: &Guide, optimum: u128, budget: u64) -> search::Outcome {
	let limited = search::solve(problem, guide, budget, &mut |_| false);
	assert_eq!(check::score(problem, &limited.assignment), Ok(limited.profit), "misscored");
	assert!(limited.profit <= optimum && optimum <= limited.bound, "bound does not hold");
	assert!(!limited.optimal || limited.profit == optimum, "claimed optimal, is not");
	assert_eq!(limited.optimal, limited.profit == limited.bound, "proof and bound disagree");
	assert_eq!(search::solve(problem, guide, budget, &mut |_| false), limited, "not deterministic");
	let full = search::solve(problem, guide, u64::MAX, &mut |_| false);
	assert_eq!(check::score(problem, &full.assignment), Ok(full.profit), "misscored");
	assert!(full.optimal, "unlimited search did not finish");
	assert_eq!((full.profit, full.bound), (optimum, optimum), "not the optimum");
	limited
}
