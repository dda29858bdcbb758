//! `magvar form fill`: values into a PDF form, one file or one per CSV row.
//! The filling is magvar-pdfform's; this module reads the data, names the
//! outputs, writes them atomically and runs the rows on magvar-pipeline.

use crate::error::{CliError, CliResult};
use clap::{Args, ValueEnum};
use magvar_pdfform::{
    CsvRow, DataError, FillData, FillOptions, FillProblem, FormFiller, PdfDocument,
};
use magvar_pipeline::{Pipeline, Stage};
use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  magvar form fill form.pdf --data values.json -o filled.pdf
  magvar form fields form.pdf --format urlencoded | magvar form fill form.pdf --data - -o copy.pdf
  magvar form fill form.pdf --data people.csv --out-dir letters --name \"{Last name}-{row}.pdf\"")]
pub struct FillArgs {
    /// The PDF form.
    form: PathBuf,
    /// The values: what `magvar form fields` prints (the JSON `values`
    /// object or the whole document, or --format urlencoded), or CSV with
    /// field names as the header. `-` reads standard input.
    #[arg(long, value_name = "DATA")]
    data: PathBuf,
    /// How DATA is written (auto: by its extension, else by its content).
    #[arg(long, value_enum, default_value_t = DataFormat::Auto)]
    data_format: DataFormat,
    /// The filled PDF (`-` writes to standard output).
    #[arg(short = 'o', long = "output", value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// Which CSV row fills the one output (1 = the first after the header).
    #[arg(long, value_name = "N")]
    row: Option<usize>,
    /// One filled PDF per CSV row, written into DIR (made if missing).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// File names in --out-dir: {Column} is that row's value of a CSV
    /// column, {row} the row number (default: the form's name-{row}.pdf).
    #[arg(long, value_name = "TEMPLATE", requires = "out_dir")]
    name: Option<String>,
    /// Worker threads for --out-dir (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Draw the values into the pages and remove the form (a new file).
    #[arg(long)]
    flatten: bool,
    /// Write a compact new file instead of appending an update to the
    /// original bytes (which keeps signatures over them valid).
    #[arg(long)]
    rewrite: bool,
    /// Refuse values the field's font cannot show, instead of leaving their
    /// drawing to the viewer with a warning.
    #[arg(long)]
    strict: bool,
    /// Fill read-only fields too.
    #[arg(long)]
    force: bool,
    /// Password of an encrypted PDF (the empty password is always tried).
    #[arg(long)]
    password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DataFormat {
    Auto,
    Json,
    Urlencoded,
    Csv,
}

pub fn run(args: FillArgs) -> CliResult {
    let options = FillOptions {
        strict: args.strict,
        force: args.force,
        flatten: args.flatten,
        rewrite: args.rewrite,
    };
    match (&args.output, &args.out_dir) {
        (Some(_), Some(_)) => Err(CliError::Usage(
            "give either -o OUT.pdf (one form) or --out-dir DIR (one per row), not both".into(),
        )),
        (None, None) => Err(CliError::Usage(
            "say where the filled form goes: -o OUT.pdf, or --out-dir DIR for one per CSV row"
                .into(),
        )),
        (Some(output), None) => {
            if args.jobs.is_some() {
                return Err(CliError::Usage("--jobs goes with --out-dir".into()));
            }
            one(&args, output, &options)
        }
        (None, Some(dir)) => {
            if args.row.is_some() {
                return Err(CliError::Usage(
                    "--row picks the row for -o; --out-dir fills every row".into(),
                ));
            }
            many(&args, dir, &options)
        }
    }
}

fn open_filler(args: &FillArgs) -> Result<FormFiller, CliError> {
    let pdf = PdfDocument::open(&args.form, args.password.as_deref()).map_err(library_error)?;
    FormFiller::new(pdf).map_err(library_error)
}

/// The library's errors with the flags that fix them: the data does not
/// fit the form → exit 1 with every problem; a password is missing or does
/// not allow changes → exit 2; the document is damaged → exit 1.
fn library_error(error: magvar_pdfform::Error) -> CliError {
    match error {
        magvar_pdfform::Error::InvalidFill { file, problems } => {
            CliError::Failed(problem_list(&file.display().to_string(), &problems))
        }
        magvar_pdfform::Error::PasswordRequired { .. } => {
            CliError::Usage(format!("{error} (give it with --password)"))
        }
        magvar_pdfform::Error::ChangesNotAllowed { .. } => {
            CliError::Usage(format!("{error} (give the owner password with --password)"))
        }
        error if error.is_usage() => CliError::Usage(error.to_string()),
        error => CliError::Failed(error.to_string()),
    }
}

fn problem_list(file: &str, problems: &[FillProblem]) -> String {
    let mut message = format!(
        "{file}: the values do not fit the form ({} problem{}):",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for problem in problems {
        let hint = match problem {
            FillProblem::ReadOnly { .. } => " (--force fills it anyway)",
            FillProblem::Unencodable { .. } => " (without --strict it is left to the viewer)",
            _ => "",
        };
        message.push_str(&format!("\n  {problem}{hint}"));
    }
    message
}

/// The data's text and its name for messages.
fn read_data(path: &Path) -> Result<(String, String), CliError> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CliError::Usage(format!("standard input: cannot read the data: {e}")))?;
        return Ok((text, "standard input".into()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("{}: cannot read the data: {e}", path.display())))?;
    Ok((text, path.display().to_string()))
}

/// The format named, or the one the extension says, or by content: JSON
/// starts with `{`; a first line with a comma, or without `=`, is a CSV
/// header (urlencoded text escapes its commas).
fn detect(format: DataFormat, path: &Path, text: &str) -> DataFormat {
    if format != DataFormat::Auto {
        return format;
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => return DataFormat::Json,
        Some("csv") => return DataFormat::Csv,
        _ => {}
    }
    let trimmed = text.trim_start_matches('\u{FEFF}').trim_start();
    if trimmed.starts_with('{') {
        return DataFormat::Json;
    }
    let first_line = trimmed.lines().next().unwrap_or_default();
    if first_line.contains('=') && !first_line.contains(',') {
        DataFormat::Urlencoded
    } else {
        DataFormat::Csv
    }
}

/// The records of the data: one for JSON and urlencoded, one per row for
/// CSV. A data file that cannot be read at all is a usage error.
fn records(args: &FillArgs) -> Result<(Vec<CsvRow>, String), CliError> {
    let (text, source) = read_data(&args.data)?;
    let bad = |error: DataError| CliError::Usage(format!("{source}: {error}"));
    let text = text.trim_start_matches('\u{FEFF}');
    let rows = match detect(args.data_format, &args.data, text) {
        DataFormat::Json => vec![single(FillData::from_json(text).map_err(bad)?)],
        DataFormat::Urlencoded => vec![single(FillData::from_urlencoded(text).map_err(bad)?)],
        DataFormat::Csv | DataFormat::Auto => FillData::csv_rows(text).map_err(bad)?,
    };
    Ok((rows, source))
}

fn single(data: FillData) -> CsvRow {
    CsvRow {
        row: 1,
        line: 1,
        data: Ok(data),
    }
}

fn one(args: &FillArgs, output: &Path, options: &FillOptions) -> CliResult {
    let (rows, source) = records(args)?;
    let wanted = args.row.unwrap_or(1);
    if wanted == 0 {
        return Err(CliError::Usage("--row counts from 1".into()));
    }
    let record = rows
        .into_iter()
        .nth(wanted - 1)
        .ok_or_else(|| CliError::Usage(format!("{source}: there is no row {wanted}")))?;
    let data = record
        .data
        .map_err(|error| CliError::Failed(format!("{source}: {error}")))?;
    let filler = open_filler(args)?;
    let filled = filler.fill(&data, options).map_err(library_error)?;
    for warning in filled.warnings() {
        eprintln!("{}: warning: {warning}", args.form.display());
    }
    if output.as_os_str() == "-" {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        filled.write_to(&mut out).map_err(library_error)?;
        out.flush()
            .map_err(|e| CliError::Failed(format!("cannot write the output: {e}")))?;
    } else {
        write_atomically(output, |file| {
            filled.write_to(file).map_err(|e| e.to_string())
        })
        .map_err(CliError::Failed)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes through a temporary file in the output's folder, renamed over
/// `path` only once complete: no reader ever sees half a file, and an
/// input that is also the output is replaced whole.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&std::fs::File>) -> Result<(), String>,
) -> Result<(), String> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".magvar-fill-")
        .suffix(".pdf.tmp")
        .tempfile_in(folder)
        .map_err(|e| format!("{}: cannot create a file there: {e}", folder.display()))?;
    let mut out = std::io::BufWriter::new(temp.as_file());
    write(&mut out)?;
    out.flush()
        .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    drop(out);
    temp.persist(path)
        .map_err(|e| format!("{}: cannot write: {}", path.display(), e.error))?;
    Ok(())
}

/// `{Column}` and `{row}` in an output name template.
struct NameTemplate {
    parts: Vec<NamePart>,
}

enum NamePart {
    Text(String),
    Column(String),
    Row,
}

impl NameTemplate {
    fn parse(template: &str, columns: &BTreeSet<String>) -> Result<NameTemplate, CliError> {
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            parts.push(NamePart::Text(rest[..open].to_owned()));
            let close = rest[open..].find('}').ok_or_else(|| {
                CliError::Usage(format!("--name \"{template}\": a {{ is not closed"))
            })?;
            let key = &rest[open + 1..open + close];
            parts.push(match key {
                "row" => NamePart::Row,
                column if columns.contains(column) => NamePart::Column(column.to_owned()),
                column => {
                    return Err(CliError::Usage(format!(
                        "--name \"{template}\": the data has no column \"{column}\" (it has: {})",
                        columns.iter().cloned().collect::<Vec<_>>().join(", ")
                    )));
                }
            });
            rest = &rest[open + close + 1..];
        }
        parts.push(NamePart::Text(rest.to_owned()));
        Ok(NameTemplate { parts })
    }

    fn columns(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            NamePart::Column(column) => Some(column.as_str()),
            _ => None,
        })
    }

    /// The file name for one row; a value cannot reach outside the folder
    /// (path separators and leading dots become `_`).
    fn render(&self, row: usize, data: &FillData) -> String {
        let mut name = String::new();
        for part in &self.parts {
            match part {
                NamePart::Text(text) => name.push_str(text),
                NamePart::Row => name.push_str(&row.to_string()),
                NamePart::Column(column) => {
                    let value = data
                        .get(column)
                        .map(|v| v.as_strings().join(" "))
                        .unwrap_or_default();
                    let safe: String = value
                        .chars()
                        .map(|c| {
                            if c == '/' || c == '\\' || c.is_control() {
                                '_'
                            } else {
                                c
                            }
                        })
                        .collect();
                    name.push_str(&safe);
                }
            }
        }
        match name.trim() {
            "" => format!("{row}.pdf"),
            trimmed if trimmed.starts_with('.') => format!("_{}", &trimmed[1..]),
            trimmed => trimmed.to_owned(),
        }
    }
}

/// One row's outcome: the row and its line, and the file written or why not.
struct RowOutcome {
    row: usize,
    line: u64,
    /// The fill's warnings, or why the row was not written.
    result: Result<Vec<String>, String>,
}

/// Rows a worker may run ahead of the one being reported, per worker.
const READ_AHEAD_PER_WORKER: usize = 8;

/// Every row into its own file in `dir`, on magvar-pipeline: the rows as
/// the source, `--jobs` workers filling and writing, and this thread
/// reporting in row order. A bad row is reported with its line and skipped.
fn many(args: &FillArgs, dir: &Path, options: &FillOptions) -> CliResult {
    let jobs = match args.jobs {
        Some(0) => return Err(CliError::Usage("--jobs must be at least 1".into())),
        Some(jobs) => jobs,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let (rows, source) = records(args)?;
    let columns: BTreeSet<String> = rows
        .iter()
        .filter_map(|row| row.data.as_ref().ok())
        .flat_map(|data| data.iter().map(|(name, _)| name.to_owned()))
        .collect();
    let default_name = format!(
        "{}-{{row}}.pdf",
        args.form
            .file_stem()
            .map_or("filled".into(), |s| s.to_string_lossy())
    );
    let template = NameTemplate::parse(args.name.as_deref().unwrap_or(&default_name), &columns)?;
    let filler = Arc::new(open_filler(args)?);
    // Columns that only name the files are not fields to fill.
    let naming_only: Vec<String> = template
        .columns()
        .filter(|column| filler.form().fields.iter().all(|f| f.name != *column))
        .map(str::to_owned)
        .collect();
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::Usage(format!("{}: cannot make the folder: {e}", dir.display())))?;
    // Names are given out here, in row order, so that two rows naming
    // the same file are told apart before any worker writes.
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut jobs_in = Vec::with_capacity(rows.len());
    for record in rows {
        let job = record.data.map_err(|e| e.to_string()).and_then(|mut data| {
            let name = template.render(record.row, &data);
            if let Some(first) = taken.insert(name.clone(), record.row) {
                return Err(format!("its file name \"{name}\" is row {first}'s too"));
            }
            for column in &naming_only {
                data.remove(column);
            }
            Ok((dir.join(name), data))
        });
        jobs_in.push((record.row, record.line, job));
    }
    let total = jobs_in.len();
    let progress = crate::form::progress_bar(total, "forms");
    crate::interrupt::install("form fill");
    let inputs = jobs_in
        .into_iter()
        .take_while(|_| !crate::interrupt::requested());
    let options = *options;
    let worker_filler = Arc::clone(&filler);
    let mut running = Pipeline::source(inputs)
        .ordered(jobs * READ_AHEAD_PER_WORKER)
        .stage(
            Stage::new("fill")
                .workers(jobs)
                .counting_errors(|outcome: &RowOutcome| outcome.result.is_err()),
            move |inputs| {
                let filler = Arc::clone(&worker_filler);
                inputs.map(move |(row, line, job)| RowOutcome {
                    row,
                    line,
                    result: job.and_then(|(path, data)| fill_row(&filler, &data, &options, &path)),
                })
            },
        )
        .start();
    let mut failed = 0usize;
    let mut done = 0usize;
    let mut warned = BTreeSet::new();
    let form_name = args.form.display().to_string();
    for outcome in running.by_ref() {
        progress.inc(1);
        done += 1;
        match outcome.result {
            Ok(warnings) => {
                for warning in warnings {
                    if warned.insert(warning.clone()) {
                        progress.suspend(|| eprintln!("{form_name}: warning: {warning}"));
                    }
                }
            }
            Err(error) => {
                failed += 1;
                progress.suspend(|| {
                    eprintln!(
                        "{source}: row {} (line {}): skipped: {error}",
                        outcome.row, outcome.line
                    )
                });
            }
        }
    }
    let finished = running.finish();
    progress.finish_and_clear();
    finished.map_err(|error| CliError::Failed(format!("form fill: {error}")))?;
    if done < total && crate::interrupt::requested() {
        return Err(CliError::Interrupted(format!(
            "{} of {total} rows filled into {}, each file whole; the next was row {}",
            done - failed,
            dir.display(),
            done + 1
        )));
    }
    if failed > 0 {
        eprintln!(
            "{} of {total} rows written to {}; {failed} skipped",
            total - failed,
            dir.display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// One row filled and written; its warnings, or every problem on one line.
fn fill_row(
    filler: &FormFiller,
    data: &FillData,
    options: &FillOptions,
    path: &Path,
) -> Result<Vec<String>, String> {
    let filled = filler.fill(data, options).map_err(|error| match error {
        magvar_pdfform::Error::InvalidFill { problems, .. } => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        error => error.to_string(),
    })?;
    write_atomically(path, |file| {
        filled.write_to(file).map_err(|e| e.to_string())
    })?;
    Ok(filled.warnings().to_vec())
}
