//! The measurements as CSV, and as an SVG chart like the paper's Fig. 5.

use crate::{medians, Point};

/// Every run, one row each.
pub fn csv(points: &[Point]) -> String {
	let mut out = String::from(
		"topology,trades,run,submitted_s,included_s,confirmed_s,blocks,fullest,rounds\n",
	);
	for p in points {
		out += &format!(
			"{},{},{},{:.3},{:.3},{:.3},{},{},{}\n",
			p.topology,
			p.trades,
			p.run,
			p.submitted_s,
			p.included_s,
			p.confirmed_s,
			p.blocks,
			p.fullest,
			p.rounds
		);
	}
	out
}

/// The runs of a CSV written by [`csv`].
pub fn parse(text: &str) -> Result<Vec<Point>, String> {
	text.lines()
		.skip(1)
		.filter(|line| !line.trim().is_empty())
		.map(|line| {
			let fields: Vec<&str> = line.split(',').collect();
			let [topology, trades, run, submitted, included, confirmed, blocks, fullest, rounds] =
				fields[..]
			else {
				return Err(format!("not a row of nine fields: {line}"));
			};
			let bad = |e: &dyn std::fmt::Display| format!("{line}: {e}");
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
		};
		let read = parse(&csv(std::slice::from_ref(&point))).unwrap();
		assert_eq!(read.len(), 1);
		assert_eq!(csv(&read), csv(&[point]));
		assert!(parse("header\nsingle,10,0\n").is_err());
	}
}
