//! From positioned runs of text to lines and blocks.
//!
//! Runs are first grouped by direction (the angle of their baseline on the
//! page, in whole degrees), so a rotated label never merges into the
//! horizontal lines it crosses. Within a direction, runs whose baselines
//! are within a fraction of the font size form a line; within a line, runs
//! closer than about one em join into a block (a small gap becomes a
//! space). A larger gap starts a new block, so a footer next to a page
//! number, or a label beside a column, stays a block of its own.
//!
//! Lines come horizontal ones first, top to bottom, then each other
//! direction in turn (by angle), its lines ordered the same way in the
//! direction's own frame ("top" is to the left of a line that reads
//! upwards).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Baselines closer than this fraction of the font size are one line.
const SAME_LINE: f64 = 0.4;
/// A gap along the baseline wider than this many font sizes separates blocks.
const BLOCK_GAP: f64 = 1.0;
/// A gap wider than this many font sizes inside a block reads as a space.
const WORD_GAP: f64 = 0.15;

/// Text drawn by one show operation, in the page's displayed space.
#[derive(Debug, Clone)]
pub struct Run {
    /// Where the baseline starts.
    pub x: f64,
    pub y: f64,
    /// Where the pen stands after the run.
    pub end_x: f64,
    pub end_y: f64,
    pub size: f64,
    /// Direction of the baseline, degrees anticlockwise from the x axis.
    pub angle_deg: i32,
    pub text: String,
}

/// Consecutive text on one baseline: `(x, y)` is where its baseline starts
/// (its left end, for horizontal text), in points from the bottom-left
/// corner of the page as displayed: the MediaBox turned by the page's
/// /Rotate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBlock {
    pub x: f64,
    pub y: f64,
    /// The largest font size in the block, in user space (an em's height).
    pub size: f64,
    pub text: String,
}

/// Blocks sharing a baseline, in reading order along it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    /// The baseline's y where the line starts (its first block's y).
    pub y: f64,
    /// The baseline's direction in degrees anticlockwise from the page's x
    /// axis (90: reads upwards, -90: downwards); absent in JSON for
    /// horizontal lines.
    #[serde(default, skip_serializing_if = "is_horizontal")]
    pub angle_deg: i32,
    pub blocks: Vec<TextBlock>,
}

fn is_horizontal(angle_deg: &i32) -> bool {
    *angle_deg == 0
}

impl TextLine {
    /// The blocks' text joined by a tab, which cannot be confused with the
    /// spaces inside a block.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        texts.join("\t")
    }
}

/// A run seen in its direction's frame: `u` along the baseline, `v` across
/// it (what `x` and `y` are for horizontal text).
struct Placed {
    u: f64,
    end_u: f64,
    v: f64,
    run: Run,
}

/// Groups runs into lines: horizontal lines top to bottom, each left to
/// right, then the lines of every other direction.
pub fn lines(mut runs: Vec<Run>) -> Vec<TextLine> {
    runs.retain(|run| {
        !run.text.trim().is_empty()
            && [run.x, run.y, run.end_x, run.end_y]
                .iter()
                .all(|v| v.is_finite())
    });
    let mut by_direction: BTreeMap<(bool, i32), Vec<Placed>> = BTreeMap::new();
    for run in runs {
        let (sin, cos) = f64::from(run.angle_deg).to_radians().sin_cos();
        let along = |x: f64, y: f64| x * cos + y * sin;
        let placed = Placed {
            u: along(run.x, run.y),
            end_u: along(run.end_x, run.end_y),
            v: -run.x * sin + run.y * cos,
            run,
        };
        // Horizontal first, then the other directions by angle.
        by_direction
            .entry((placed.run.angle_deg != 0, placed.run.angle_deg))
            .or_default()
            .push(placed);
    }
    let mut lines = Vec::new();
    for ((_, angle_deg), mut runs) in by_direction {
        runs.sort_by(|a, b| b.v.total_cmp(&a.v).then(a.u.total_cmp(&b.u)));
        let mut grouped: Vec<Vec<Placed>> = Vec::new();
        for placed in runs {
            match grouped.last_mut() {
                Some(line)
                    if (line[0].v - placed.v).abs()
                        <= SAME_LINE * line[0].run.size.max(placed.run.size).max(1.0) =>
                {
                    line.push(placed)
                }
                _ => grouped.push(vec![placed]),
            }
        }
        lines.extend(grouped.into_iter().map(|mut line| {
            line.sort_by(|a, b| a.u.total_cmp(&b.u));
            let blocks = blocks(line);
            TextLine {
                y: blocks.first().map_or(0.0, |block| block.y),
                angle_deg,
                blocks,
            }
        }));
    }
    lines
}

fn blocks(line: Vec<Placed>) -> Vec<TextBlock> {
    let mut blocks: Vec<(TextBlock, f64)> = Vec::new();
    for placed in line {
        let run = placed.run;
        if let Some((block, end_u)) = blocks.last_mut() {
            let em = block.size.max(run.size).max(1.0);
            let gap = placed.u - *end_u;
            if gap <= BLOCK_GAP * em {
                if gap > WORD_GAP * em && !block.text.ends_with(' ') && !run.text.starts_with(' ') {
                    block.text.push(' ');
                }
                block.text.push_str(&run.text);
                block.size = block.size.max(run.size);
                *end_u = end_u.max(placed.end_u);
                continue;
            }
        }
        blocks.push((
            TextBlock {
                x: run.x,
                y: run.y,
                size: run.size,
                text: run.text,
            },
            placed.end_u.max(placed.u),
        ));
    }
    blocks
        .into_iter()
        .map(|(mut block, _)| {
            block.text = block.text.trim().to_owned();
            block.x = round(block.x);
            block.y = round(block.y);
            block.size = round(block.size);
            block
        })
        .collect()
}

/// Hundredths of a point: finer than any printer, and stable output.
fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(x: f64, end_x: f64, y: f64, text: &str) -> Run {
        Run {
            x,
            y,
            end_x,
            end_y: y,
            size: 10.0,
            angle_deg: 0,
            text: text.into(),
        }
    }

    /// A run reading at `angle_deg` from (x, y), `length` long.
    fn turned(x: f64, y: f64, angle_deg: i32, length: f64, text: &str) -> Run {
        let (sin, cos) = f64::from(angle_deg).to_radians().sin_cos();
        Run {
            x,
            y,
            end_x: x + length * cos,
            end_y: y + length * sin,
            size: 10.0,
            angle_deg,
            text: text.into(),
        }
    }

    #[test]
    fn a_rotated_run_does_not_merge_with_the_horizontal_line_it_crosses() {
        // "Side label" reads upwards starting on the baseline of the
        // horizontal line and right where it ends.
        let lines = lines(vec![
            run(72.0, 150.0, 400.0, "Name:"),
            turned(152.0, 400.0, 90, 60.0, "Side"),
            turned(152.0, 463.0, 90, 40.0, "label"),
            run(155.0, 250.0, 400.0, "Jane"),
        ]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].text(), "Name: Jane");
        assert_eq!(lines[0].angle_deg, 0);
        assert_eq!(lines[1].text(), "Side label");
        assert_eq!(lines[1].angle_deg, 90);
        assert_eq!((lines[1].blocks[0].x, lines[1].blocks[0].y), (152.0, 400.0));
    }

    #[test]
    fn lines_of_one_direction_group_like_horizontal_ones() {
        // Text turned a quarter clockwise reads downwards and its lines
        // follow one another from right to left.
        let lines = lines(vec![
            turned(100.0, 700.0, -90, 50.0, "second"),
            turned(120.0, 700.0, -90, 40.0, "first"),
            turned(120.0, 657.0, -90, 30.0, "line"),
        ]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].text(), "first line");
        assert_eq!(lines[1].text(), "second");
    }

    #[test]
    fn footer_beside_page_number_stays_two_blocks() {
        let lines = lines(vec![
            run(488.0, 540.0, 40.0, "Page 1 of 1"),
            run(72.0, 200.0, 40.0, "Form MA-1  Rev 2011.01.17"),
            run(72.0, 150.0, 700.0, "Title"),
        ]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].text(), "Title");
        assert_eq!(lines[1].text(), "Form MA-1  Rev 2011.01.17\tPage 1 of 1");
    }

    #[test]
    fn close_runs_join_with_a_space_for_a_word_gap() {
        let lines = lines(vec![
            run(10.0, 40.0, 100.0, "Hello"),
            run(43.0, 70.0, 100.2, "world"),
            run(70.0, 75.0, 100.0, "!"),
        ]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text(), "Hello world!");
    }
}
