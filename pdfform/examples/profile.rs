//! Reads the given PDFs' fields (and with `--text` every page's text) a
//! number of times, for profilers: `valgrind --tool=callgrind` counts the
//! instructions of one file or of the whole corpus.
//!
//!     cargo build -p magvar-pdfform --release --example profile
//!     valgrind --tool=callgrind target/release/examples/profile [--text] [--repeat N] FILE…

use magvar_pdfform::PdfDocument;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut with_text = false;
    let mut repeat = 1usize;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--text" => with_text = true,
            "--repeat" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => repeat = n,
                None => {
                    eprintln!("--repeat needs a number");
                    return ExitCode::from(2);
                }
            },
            _ => files.push(arg),
        }
    }
    let docs: Vec<(String, Vec<u8>)> = match files
        .into_iter()
        .map(|file| std::fs::read(&file).map(|bytes| (file, bytes)))
        .collect()
    {
        Ok(docs) => docs,
        Err(error) => {
            eprintln!("cannot read an input: {error}");
            return ExitCode::from(2);
        }
    };
    let mut seen = 0usize;
    for _ in 0..repeat {
        for (file, bytes) in &docs {
            let Ok(pdf) = PdfDocument::from_bytes(bytes, file, None) else {
                continue;
            };
            // As `cargo xtask bench pdf` does: with text, the text first
            // (it makes lopdf's full load, which the fields then use).
            if with_text {
                seen += pdf
                    .text()
                    .map(|pages| pages.iter().map(|p| p.lines.len()).sum::<usize>())
                    .unwrap_or(0);
            }
            seen += pdf.form().map(|form| form.fields.len()).unwrap_or(0);
        }
    }
    println!("{seen}");
    ExitCode::SUCCESS
}
