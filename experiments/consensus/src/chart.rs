//! The measurements as CSV, and as an SVG chart like the paper's Fig. 5.

use crate::{medians, Point};

/// Every run, one row each.
pub fn csv(points: &[Point]) -> String {
	let mut out = String::from(
		"topology,trades,run,submitted_s,included_s,confirmed_s,blocks,fullest,rounds,anchored_s,verified_s\n",
	);
	let optional = |seconds: Option<f64>| seconds.map(|s| format!("{s:.3}")).unwrap_or_default();
	for p in points {
		out += &format!(
			"{},{},{},{:.3},{:.3},{:.3},{},{},{},{},{}\n",
			p.topology,
			p.trades,
			p.run,
			p.submitted_s,
			p.included_s,
			p.confirmed_s,
			p.blocks,
			p.fullest,
			p.rounds,
			optional(p.anchored_s),
			optional(p.verified_s)
		);
	}
	out
}

/// The runs of a CSV written by [`csv`] (or by its earlier form, without the coordinator's
/// two columns).
pub fn parse(text: &str) -> Result<Vec<Point>, String> {
	text.lines()
		.skip(1)
		.filter(|line| !line.trim().is_empty())
		.map(|line| {
			let mut fields: Vec<&str> = line.split(',').collect();
			if fields.len() == 9 {
				fields.extend(["", ""]);
			}
			let [topology, trades, run, submitted, included, confirmed, blocks, fullest, rounds, anchored, verified] =
				fields[..]
			else {
				return Err(format!("not a row of nine or eleven fields: {line}"));
			};
			let bad = |e: &dyn std::fmt::Display| format!("{line}: {e}");
			let optional = |field: &str| -> Result<Option<f64>, String> {
				(!field.is_empty()).then(|| field.parse().map_err(|e| bad(&e))).transpose()
			};
			Ok(Point {
				topology: topology.to_string(),
				trades: trades.parse().map_err(|e| bad(&e))?,
				run: run.parse().map_err(|e| bad(&e))?,
				submitted_s: submitted.parse().map_err(|e| bad(&e))?,
				included_s: included.parse().map_err(|e| bad(&e))?,
				confirmed_s: confirmed.parse().map_err(|e| bad(&e))?,
				blocks: blocks.parse().map_err(|e| bad(&e))?,
				fullest: fullest.parse().map_err(|e| bad(&e))?,
				rounds: rounds.parse().map_err(|e| bad(&e))?,
				anchored_s: optional(anchored)?,
				verified_s: optional(verified)?,
			})
		})
		.collect()
}

/// The median time to confirm against the number of trades, a line per topology, each run a
/// dot; `caption` and `labels` (`(topology, legend)`) name the setting.
pub fn svg(
	points: &[Point],
	sizes: &[usize],
	labels: &[(&str, String)],
	caption: &str,
) -> Result<String, String> {
	use plotters::prelude::*;
	let mut out = String::new();
	{
		let root = SVGBackend::with_string(&mut out, (900, 520)).into_drawing_area();
		root.fill(&WHITE).map_err(|e| e.to_string())?;
		let right = sizes.iter().copied().max().unwrap_or(1) as f64 * 1.05;
		let top = points.iter().map(|p| p.confirmed_s).fold(1.0f64, f64::max) * 1.1;
		let mut chart = ChartBuilder::on(&root)
			.caption(caption, ("sans-serif", 16))
			.margin(16)
			.x_label_area_size(40)
			.y_label_area_size(56)
			.build_cartesian_2d(0f64..right, 0f64..top)
			.map_err(|e| e.to_string())?;
		chart
			.configure_mesh()
			.x_desc("trades submitted at once")
			.y_desc("seconds until all are confirmed")
			.draw()
			.map_err(|e| e.to_string())?;
		let colours = [RED, BLUE, GREEN, MAGENTA];
		for ((topology, legend), colour) in labels.iter().zip(colours) {
			let line: Vec<(f64, f64)> = medians(points, topology, sizes)
				.into_iter()
				.map(|(size, time)| (size as f64, time))
				.collect();
			chart
				.draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))
				.map_err(|e| e.to_string())?
				.label(legend.as_str())
				.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
			chart
				.draw_series(line.into_iter().map(|p| Circle::new(p, 4, colour.filled())))
				.map_err(|e| e.to_string())?;
			let runs = points
				.iter()
				.filter(|p| p.topology == *topology)
				.map(|p| Circle::new((p.trades as f64, p.confirmed_s), 2, colour.mix(0.5)));
			chart.draw_series(runs).map_err(|e| e.to_string())?;
		}
		chart
			.configure_series_labels()
			.position(SeriesLabelPosition::UpperLeft)
			.background_style(WHITE.mix(0.8))
			.border_style(BLACK)
			.draw()
			.map_err(|e| e.to_string())?;
		root.present().map_err(|e| e.to_string())?;
	}
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_csv_reads_back_what_it_wrote_and_refuses_a_short_row() {
		let point = Point {
			topology: "sharded".into(),
			trades: 3_000,
			run: 1,
			submitted_s: 4.5,
			included_s: 20.25,
			confirmed_s: 31.125,
			blocks: 2,
			fullest: 1_000,
			rounds: 3,
			anchored_s: Some(120.5),
			verified_s: None,
		};
		let read = parse(&csv(std::slice::from_ref(&point))).unwrap();
		assert_eq!(read.len(), 1);
		assert_eq!(csv(&read), csv(&[point]));
		assert!(parse("header\nsingle,10,0\n").is_err());
		let earlier = parse("header\nsingle,10,0,1.0,2.0,3.0,1,10,1\n").unwrap();
		assert_eq!((earlier[0].anchored_s, earlier[0].verified_s), (None, None));
	}
}
