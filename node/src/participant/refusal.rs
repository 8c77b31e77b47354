//! The participant's command line's messages for the chain's refusals: the error's name, the
//! pallet's own explanation of it, and what to do.

use gridshard_runtime::{Runtime, RuntimeError};
use scale_info::{TypeDef, TypeInfo};
use sp_runtime::DispatchError;

/// What to do about each pallet error the command line's calls can meet, by `Pallet::Error`.
const ADVICE: &[(&str, &str)] = &[
	("Registration::AlreadyRegistered", "this account has a record already: `status` shows it; withdraw the application or deregister before applying again"),
	("Registration::MeterIdInUse", "another participant registered this meter ID: check the ID on the meter's plate"),
	("Registration::NameTooLong", "shorten --name"),
	("Registration::MeterIdTooLong", "shorten --meter-id"),
	("Registration::ConnectionPointTooLong", "shorten --point"),
	("Registration::EmptyName", "give a --name"),
	("Registration::EmptyMeterId", "give the --meter-id on the meter's plate"),
	("Registration::EmptyConnectionPoint", "give the --point the grid company wrote in the connection agreement"),
	("Registration::ZeroRatedPower", "give the generator's nameplate power with --rated-power-w"),
	("Registration::BadMeterKeyProof", "--meter-key must be the meter's own key, signing for this account, meter ID and chain"),
	("Registration::InsufficientFundsForDeposit", "fund the account with the registration deposit and the fees, then apply again"),
	("Registration::NotRegistered", "this account has no record: apply first"),
	("Registration::NotPending", "the application was already reviewed: `status` shows the decision"),
	("Registration::RegionNotServed", "apply on the chain of the region given with --region (each region runs its own chain)"),
	("Matching::NotApprovedProvider", "only approved providers offer: `status` shows this account's record; wait for the council's approval"),
	("Matching::NotApprovedUser", "only approved users request energy: `status` shows this account's record; wait for the council's approval"),
	("Matching::BookClosed", "the period is in its solution window: post again when the next period opens"),
	("Matching::ZeroCapacity", "give a --capacity-wh above zero"),
	("Matching::PriceTooHigh", "lower --price: it is above the market's most"),
	("Matching::TooManyOffers", "this period's book is full of offers: offer again next period"),
	("Matching::NoOffer", "this account has no offer this period: nothing to withdraw"),
	("Matching::BadEnergy", "give an --energy-wh above zero and within the most one request may ask"),
	("Matching::TooManyRequests", "this period's book is full of requests: request again next period"),
	("Matching::TooManyRequestsOfUser", "this account has as many open requests as one user may: cancel one or wait for the adoption"),
	("Matching::UnknownRequest", "no such request this period: `status` lists this account's requests"),
	("Matching::NotYourRequest", "only the request's own user may cancel it"),
	("Matching::Overflow", "the amounts are too large: lower the energy or the limit"),
	("Settlement::InsufficientFunds", "the free balance cannot hold the request's escrow: fund the account or ask for less"),
	("Settlement::UnknownOrder", "no such order: it never existed or it was paid out; `status` lists this account's orders"),
	("Settlement::NotProvider", "only the order's provider applies for its settlement"),
	("Settlement::NotUser", "only the order's user may dispute it"),
	("Settlement::DeliveryWindowOpen", "the delivery window has not ended: apply again after the window's last block"),
	("Settlement::AlreadySettled", "the order is settled already: its payout follows the dispute window"),
	("Settlement::NotSettled", "the order is not settled (still delivering, or disputed): `status` shows where it stands"),
	("Settlement::DisputeWindowClosed", "the dispute window has closed: the settlement stands"),
	("Settlement::CannotPayDisputeBond", "fund the account with the dispute bond, then dispute again before the window closes"),
	("Settlement::NotYetPayable", "the payout waits for its confirmation depth: claim it again later, or let the chain pay it"),
];

/// The documentation of `error`, a variant of the error enum `E`, on one line.
fn docs_of<E: TypeInfo>(error: &str) -> Option<String> {
	let TypeDef::Variant(variants) = E::type_info().type_def else { return None };
	let variant = variants.variants.into_iter().find(|variant| variant.name == error)?;
	Some(variant.docs.join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `Pallet::Error` of a module error, with the pallet's documentation of it.
pub fn name_and_docs(error: DispatchError) -> Option<(String, String)> {
	let error = RuntimeError::from_dispatch_error(error)?;
	let (name, docs) = match &error {
		RuntimeError::Registration(e) => {
			(e.as_str(), docs_of::<pallet_registration::Error<Runtime>>(e.as_str()))
		}
		RuntimeError::Matching(e) => {
			(e.as_str(), docs_of::<pallet_matching::Error<Runtime>>(e.as_str()))
		}
		RuntimeError::Settlement(e) => {
			(e.as_str(), docs_of::<pallet_settlement::Error<Runtime>>(e.as_str()))
		}
		other => return Some((format!("{other:?}"), String::new())),
	};
	let pallet = format!("{error:?}");
	let pallet = pallet.split('(').next().unwrap_or_default();
	Some((format!("{pallet}::{name}"), docs.unwrap_or_default()))
}

/// The message for a call the chain took into a block and refused with `error`.
pub fn dispatch_message(error: DispatchError) -> String {
	match name_and_docs(error) {
		Some((name, docs)) => {
			let advice = ADVICE.iter().find(|(known, _)| *known == name).map(|(_, advice)| *advice);
			let docs = if docs.is_empty() { String::new() } else { format!(": {docs}") };
			match advice {
				Some(advice) => format!("the chain refused it: {name}{docs}\nwhat to do: {advice}"),
				None => format!("the chain refused it: {name}{docs}"),
			}
		}
		None => format!("the chain refused it: {error:?}"),
	}
}

/// The message for a transaction the node's pool refused (`author_submitExtrinsic`'s error).
pub fn pool_message(error: &str) -> String {
	let advice = if error.contains("Inability to pay some fees") {
		"the account cannot pay the transaction's fee: fund it"
	} else if error.contains("Transaction is outdated") || error.contains("Priority is too low") {
		"another transaction of this account took its turn: run the command again"
	} else if error.contains("os error") {
		"no node answers at --rpc: start one, or name another with --rpc http://HOST:PORT"
	} else {
		"read the node's answer above"
	};
	format!("the node refused the transaction: {error}\nwhat to do: {advice}")
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::ModuleError;

	/// The pallet errors the command line's calls cannot meet: the meters' readings, the workers'
	/// solutions, the adoption's and the council's own, and the departure's steps it does not send.
	const NOT_MET: &[&str] = &[
		"Registration::NotApproved",
		"Registration::NotSuspended",
		"Registration::OpenObligations",
		"Registration::SuspendedAwaitsCouncil",
		"Registration::NotLeaving",
		"Registration::StillUnbonding",
		"Matching::TooManyFees",
		"Matching::SolutionWrongPeriod",
		"Matching::SolutionNotBetter",
		"Matching::SolutionUnknownRequest",
		"Matching::SolutionUnknownOffer",
		"Matching::SolutionRequestTwice",
		"Matching::SolutionDisallowedPair",
		"Matching::SolutionOverCapacity",
		"Matching::SolutionWrongScore",
		"Matching::SolutionThisBlock",
		"Settlement::ReadingsClosed",
		"Settlement::StaleSequence",
		"Settlement::FinalReadingAlreadySubmitted",
		"Settlement::TooManyInterimReadings",
		"Settlement::BadMeterSignature",
		"Settlement::NotDisputed",
		"Settlement::InsufficientEscrow",
		"Settlement::NotApproved",
		"Settlement::BadDeliveryWindow",
		"Settlement::Overflow",
		"Settlement::NoGridOperator",
	];

	/// Every error variant of `E`, the pallet at `index` of the runtime, as a module error.
	fn every<E: TypeInfo>(index: u8) -> Vec<DispatchError> {
		let TypeDef::Variant(variants) = E::type_info().type_def else { panic!("an enum") };
		variants
			.variants
			.iter()
			.map(|variant| {
				DispatchError::Module(ModuleError {
					index,
					error: [variant.index, 0, 0, 0],
					message: None,
				})
			})
			.collect()
	}

	#[test]
	fn every_refusal_the_command_line_can_meet_says_what_to_do() {
		let errors = [
			every::<pallet_registration::Error<Runtime>>(8),
			every::<pallet_matching::Error<Runtime>>(11),
			every::<pallet_settlement::Error<Runtime>>(10),
		]
		.concat();
		let mut met = 0;
		for error in errors {
			let (name, docs) = name_and_docs(error).expect("a pallet error");
			assert!(!docs.is_empty(), "{name} has no documentation");
			if NOT_MET.contains(&name.as_str()) {
				continue;
			}
			let message = dispatch_message(error);
			println!("{message}\n");
			assert!(message.starts_with(&format!("the chain refused it: {name}: {docs}")));
			assert!(message.contains("\nwhat to do: "), "{name} says nothing to do");
			met += 1;
		}
		assert_eq!(met, ADVICE.len(), "an advice names no error of these pallets");
	}

	#[test]
	fn a_refusal_of_the_pool_says_what_to_do() {
		let fees = "author_submitExtrinsic: {\"code\":1010,\"message\":\"Invalid Transaction\",\
			\"data\":\"Inability to pay some fees (e.g. account balance too low)\"}";
		assert!(pool_message(fees)
			.ends_with("what to do: the account cannot pay the transaction's fee: fund it"));
		let down = "system_accountNextIndex at 127.0.0.1:1: Connection refused (os error 111)";
		assert!(pool_message(down).contains("no node answers at --rpc"));
	}
}
