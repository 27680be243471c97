//! Charts written as standalone SVG files (no script, no external resource),
//! which open in any browser and paste into papers and slides.

use crate::keyness::TermScore;
use maud::{html, Markup, PreEscaped};

/// Colours of the target (right) and reference (left) bars: the blue/orange
/// pair of the Okabe & Ito (2008) colour-blind-safe palette.
const TARGET_COLOUR: &str = "#0072B2";
const REFERENCE_COLOUR: &str = "#E69F00";

/// A keyness chart: the `top` terms with the highest z (marking the target,
/// bars to the right) and the `top` with the lowest z (marking the
/// reference, bars to the left), one row each, labelled with their surface
/// forms. `ranked` is sorted by z descending (as [`crate::keyness::rank`]
/// returns it).
pub fn keyness_svg(ranked: &[TermScore], top: usize, target: &str, reference: &str) -> String {
    let high: Vec<&TermScore> = ranked.iter().filter(|s| s.z > 0.0).take(top).collect();
    let mut low: Vec<&TermScore> = ranked.iter().rev().filter(|s| s.z < 0.0).take(top).collect();
    low.reverse(); // least negative first, so the whole chart reads by z descending
    let rows: Vec<&TermScore> = high.into_iter().chain(low).collect();

    let (width, row_h, top_margin, label_w) = (760.0_f64, 18.0_f64, 64.0_f64, 170.0_f64);
    let plot_w = width - 2.0 * label_w;
    let height = top_margin + row_h * rows.len().max(1) as f64 + 40.0;
    let max_z = rows.iter().map(|s| s.z.abs()).fold(0.0_f64, f64::max).max(1e-9);
    let zero_x = label_w + plot_w / 2.0;
    let scale = (plot_w / 2.0 - 8.0) / max_z;
    let tick = nice_step(max_z);
    let ticks: Vec<f64> =
        (-(max_z / tick).floor() as i64..=(max_z / tick).floor() as i64).map(|k| k as f64 * tick).collect();
    let title = format!("Keyness: {target} vs {reference}");
    let axis_y = top_margin + row_h * rows.len() as f64 + 6.0;

    let svg: Markup = html! {
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) font-family="Helvetica, Arial, sans-serif" font-size="12" {
            title { (title) }
            rect width=(width) height=(height) fill="white" {}
            text x=(width / 2.0) y="20" text-anchor="middle" font-size="15" font-weight="bold" { (title) }
            text x=(width / 2.0) y="38" text-anchor="middle" fill="#444" {
                "z of the weighted log-odds (Monroe, Colaresi & Quinn 2008); terms marking "
                tspan fill=(TARGET_COLOUR) font-weight="bold" { (target) }
                " right, "
                tspan fill=(REFERENCE_COLOUR) font-weight="bold" { (reference) }
                " left"
            }
            @for t in &ticks {
                line x1=(zero_x + t * scale) x2=(zero_x + t * scale) y1=(top_margin - 4.0) y2=(axis_y)
                    stroke=(if *t == 0.0 { "#333" } else { "#ddd" }) stroke-width="1" {}
                text x=(zero_x + t * scale) y=(axis_y + 14.0) text-anchor="middle" fill="#444" { (fmt_tick(*t)) }
            }
            text x=(zero_x) y=(axis_y + 30.0) text-anchor="middle" fill="#444" { "z" }
            @for (i, s) in rows.iter().enumerate() {
                @let y = top_margin + row_h * i as f64;
                @let w = s.z.abs() * scale;
                @let right = s.z > 0.0;
                rect class=(if right { "bar target" } else { "bar reference" })
                    x=(if right { zero_x } else { zero_x - w }) y=(y + 2.0) width=(w) height=(row_h - 4.0)
                    fill=(if right { TARGET_COLOUR } else { REFERENCE_COLOUR }) {
                    title { (format!("{} (stem {}): z = {:.2}, {} in target, {} in reference", s.surface, s.term, s.z, s.target_count, s.reference_count)) }
                }
                text x=(if right { zero_x - 6.0 } else { zero_x + 6.0 }) y=(y + row_h - 5.0)
                    text-anchor=(if right { "end" } else { "start" }) { (s.surface) }
            }
            @if rows.is_empty() {
                text x=(width / 2.0) y=(top_margin + 12.0) text-anchor="middle" fill="#444" { "no terms to show" }
            }
        }
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&svg.into_string());
    out.push('\n');
    out
}

/// A round tick step giving about four ticks on each side of zero.
fn nice_step(max: f64) -> f64 {
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    if step > 0.0 && step.is_finite() {
        step
    } else {
        1.0
    }
}

fn fmt_tick(t: f64) -> PreEscaped<String> {
    PreEscaped(if t.fract() == 0.0 { format!("{t:.0}") } else { format!("{t}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyness::{Kind, TermScore};

    fn term(surface: &str, z: f64) -> TermScore {
        TermScore {
            term: surface.to_string(),
            kind: Kind::Unigram,
            surface: surface.to_string(),
            forms: String::new(),
            target_count: 1,
            reference_count: 1,
            target_per10k: 1.0,
            reference_per10k: 1.0,
            log_odds: z / 2.0,
            z,
            chi2: 0.0,
        }
    }

    #[test]
    fn bars_per_side_are_capped_and_labels_escaped() {
        let ranked: Vec<TermScore> = [("tax", 5.0), ("cut", 3.0), ("<b>&", 2.0), ("care", -1.5), ("health", -4.0)]
            .map(|(t, z)| term(t, z))
            .into();
        let svg = keyness_svg(&ranked, 2, "left", "right & co");
        assert_eq!(svg.matches("class=\"bar target\"").count(), 2);
        assert_eq!(svg.matches("class=\"bar reference\"").count(), 2);
        assert!(svg.contains(">tax<") && svg.contains(">health<") && !svg.contains(">&lt;b&gt;&amp;<"));
        assert!(svg.contains("right &amp; co"));
        // The reference side lists the most negative z last.
        assert!(svg.find(">care<").unwrap() < svg.find(">health<").unwrap());
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_step(8.0), 2.0);
        assert_eq!(nice_step(30.0), 10.0);
        assert_eq!(nice_step(0.3), 0.1);
    }
}
