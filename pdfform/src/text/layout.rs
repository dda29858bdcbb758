//! From positioned runs of text to lines and blocks.
//!
//! Runs whose baselines are within a fraction of the font size form a line;
//! within a line, runs closer than about one em join into a block (a small
//! gap becomes a space). A larger gap starts a new block, so a footer next to
//! a page number, or a label beside a column, stays a block of its own.

use serde::{Deserialize, Serialize};

/// Baselines closer than this fraction of the font size are one line.
const SAME_LINE: f64 = 0.4;
/// A horizontal gap wider than this many font sizes separates blocks.
const BLOCK_GAP: f64 = 1.0;
/// A gap wider than this many font sizes inside a block reads as a space.
const WORD_GAP: f64 = 0.15;

/// Text drawn by one show operation, in default user space.
#[derive(Debug, Clone)]
pub struct Run {
    pub x: f64,
    pub end_x: f64,
    pub y: f64,
    pub size: f64,
    pub text: String,
}

/// Consecutive text on one baseline: `(x, y)` is the left end of its
/// baseline, in points from the bottom-left corner of the page's MediaBox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextBlock {
    pub x: f64,
    pub y: f64,
    /// The largest font size in the block, in user space (an em's height).
    pub size: f64,
    pub text: String,
}

/// Blocks sharing a baseline, left to right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextLine {
    pub y: f64,
    pub blocks: Vec<TextBlock>,
}

impl TextLine {
    /// The blocks' text joined by a tab, which cannot be confused with the
    /// spaces inside a block.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        texts.join("\t")
    }
}

/// Groups runs into lines, top to bottom, each left to right.
pub fn lines(mut runs: Vec<Run>) -> Vec<TextLine> {
    runs.retain(|run| !run.text.trim().is_empty() && run.x.is_finite() && run.y.is_finite());
    runs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line)
                if (line[0].y - run.y).abs() <= SAME_LINE * line[0].size.max(run.size).max(1.0) =>
            {
                line.push(run)
            }
            _ => lines.push(vec![run]),
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let y = line[0].y;
            TextLine {
                y: round(y),
                blocks: blocks(line),
            }
        })
        .collect()
}

fn blocks(line: Vec<Run>) -> Vec<TextBlock> {
    let mut blocks: Vec<(TextBlock, f64)> = Vec::new();
    for run in line {
        if let Some((block, end_x)) = blocks.last_mut() {
            let em = block.size.max(run.size).max(1.0);
            let gap = run.x - *end_x;
            if gap <= BLOCK_GAP * em {
                if gap > WORD_GAP * em && !block.text.ends_with(' ') && !run.text.starts_with(' ') {
                    block.text.push(' ');
                }
                block.text.push_str(&run.text);
                block.size = block.size.max(run.size);
                *end_x = end_x.max(run.end_x);
                continue;
            }
        }
        let end_x = run.end_x;
        blocks.push((
            TextBlock {
                x: run.x,
                y: run.y,
                size: run.size,
                text: run.text,
            },
            end_x,
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
            end_x,
            y,
            size: 10.0,
            text: text.into(),
        }
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
