//! `magvar form …`: the command-line front end of magvar-pdfform. All the
//! reading happens in the library; this module parses flags, picks output
//! shapes and maps errors to exit statuses.

use crate::error::{CliError, CliResult};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use magvar_pdfform::{Form, PdfDocument, Templates};
use magvar_pipeline::{Pipeline, Stage};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum FormCommand {
    /// Every form field of a PDF with its value.
    Fields {
        /// The PDF file.
        file: PathBuf,
        /// json: fields and values; urlencoded: name=value&… as a browser
        /// posts the form; csv: one row per field.
        #[arg(long, value_enum, default_value_t = FieldsFormat::Json)]
        format: FieldsFormat,
        /// Password of an encrypted PDF (the empty password is always tried).
        #[arg(long)]
        password: Option<String>,
    },
    /// The positioned text of a PDF's pages, top to bottom.
    Text {
        file: PathBuf,
        /// Only this page (1-based).
        #[arg(long)]
        page: Option<u32>,
        /// text: one line per line, blocks separated by tabs, pages by a
        /// form feed; json: blocks with their positions.
        #[arg(long, value_enum, default_value_t = TextFormat::Text)]
        format: TextFormat,
        #[arg(long)]
        password: Option<String>,
    },
    /// Which form template (from a TOML file) a PDF matches, and why not
    /// for the near misses.
    Identify {
        file: PathBuf,
        /// The template file.
        #[arg(long)]
        templates: PathBuf,
        #[arg(long)]
        password: Option<String>,
    },
    /// Fill a form from data (`form fields` JSON or urlencoded, or CSV),
    /// one PDF or one per CSV row, with appearances every viewer shows.
    Fill(crate::form_fill::FillArgs),
    /// The fields of many PDFs, one record per document, in input order.
    Extract {
        /// Files, and directories searched recursively for *.pdf.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Worker threads (default: one per core).
        #[arg(long)]
        jobs: Option<usize>,
        /// jsonl: one JSON object per document; csv: one row per field
        /// (file, field, kind, value, error).
        #[arg(long, value_enum, default_value_t = ExtractFormat::Jsonl)]
        format: ExtractFormat,
        /// Write here instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FieldsFormat {
    Json,
    Urlencoded,
    Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TextFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExtractFormat {
    Jsonl,
    Csv,
}

pub fn run(cmd: FormCommand) -> CliResult {
    match cmd {
        FormCommand::Fields {
            file,
            format,
            password,
        } => fields(&file, format, password.as_deref()),
        FormCommand::Text {
            file,
            page,
            format,
            password,
        } => text(&file, page, format, password.as_deref()),
        FormCommand::Identify {
            file,
            templates,
            password,
        } => identify(&file, &templates, password.as_deref()),
        FormCommand::Fill(args) => crate::form_fill::run(args),
        FormCommand::Extract {
            paths,
            jobs,
            format,
            output,
        } => extract(&paths, jobs, format, output.as_deref()),
    }
}

/// The user's input is at fault (missing file, password, bad template) →
/// exit 2; the document itself could not be read → exit 1. The library's
/// messages say what is wrong; the flag that fixes it is ours to name.
fn cli_error(error: magvar_pdfform::Error) -> CliError {
    let hint = match error {
        magvar_pdfform::Error::PasswordRequired { .. } => " (give it with --password)",
        _ => "",
    };
    let message = format!("{error}{hint}");
    if error.is_usage() {
        CliError::Usage(message)
    } else {
        CliError::Failed(message)
    }
}

fn write_error(error: std::io::Error) -> CliError {
    CliError::Failed(format!("cannot write the output: {error}"))
}

fn open(file: &Path, password: Option<&str>) -> Result<PdfDocument, CliError> {
    PdfDocument::open(file, password).map_err(cli_error)
}

fn print_json(value: &impl Serialize) -> CliResult {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| CliError::Failed(e.to_string()))?;
    writeln!(out).map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

/// A value as one CSV cell: text as is, null empty, a multi-selection as
/// its JSON array (unambiguous whatever the items contain).
fn value_cell(value: &magvar_pdfform::FieldValue) -> String {
    match value {
        magvar_pdfform::FieldValue::Null => String::new(),
        magvar_pdfform::FieldValue::Text(text) => text.clone(),
        list => serde_json::to_string(list).unwrap_or_default(),
    }
}

fn kind_name(kind: magvar_pdfform::FieldKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn fields(file: &Path, format: FieldsFormat, password: Option<&str>) -> CliResult {
    let form = open(file, password)?.form().map_err(cli_error)?;
    for warning in &form.warnings {
        eprintln!("{}: warning: {warning}", form.file);
    }
    match format {
        FieldsFormat::Json => print_json(&form),
        FieldsFormat::Urlencoded => {
            writeln!(std::io::stdout().lock(), "{}", form.urlencoded()).map_err(write_error)?;
            Ok(ExitCode::SUCCESS)
        }
        FieldsFormat::Csv => {
            let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
            let csv_error = |e: csv::Error| CliError::Failed(format!("cannot write CSV: {e}"));
            writer
                .write_record([
                    "name",
                    "kind",
                    "value",
                    "page",
                    "x0",
                    "y0",
                    "x1",
                    "y1",
                    "read_only",
                    "required",
                ])
                .map_err(csv_error)?;
            for field in &form.fields {
                let rect = field
                    .rect
                    .map(|r| r.map(|n| n.to_string()))
                    .unwrap_or_default();
                writer
                    .write_record([
                        field.name.clone(),
                        kind_name(field.kind),
                        value_cell(&field.value),
                        field.page.map(|p| p.to_string()).unwrap_or_default(),
                        rect[0].clone(),
                        rect[1].clone(),
                        rect[2].clone(),
                        rect[3].clone(),
                        field.read_only.to_string(),
                        field.required.to_string(),
                    ])
                    .map_err(csv_error)?;
            }
            writer.flush().map_err(write_error)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn text(file: &Path, page: Option<u32>, format: TextFormat, password: Option<&str>) -> CliResult {
    let pdf = open(file, password)?;
    let pages = match page {
        Some(page) => vec![pdf.page_text(page).map_err(cli_error)?],
        None => pdf.text().map_err(cli_error)?,
    };
    match format {
        TextFormat::Json => {
            #[derive(Serialize)]
            struct Output<'a> {
                file: String,
                pages: &'a [magvar_pdfform::PageText],
            }
            print_json(&Output {
                file: file.display().to_string(),
                pages: &pages,
            })
        }
        TextFormat::Text => {
            let mut out = std::io::stdout().lock();
            for (index, page) in pages.iter().enumerate() {
                if index > 0 {
                    out.write_all(b"\x0c").map_err(write_error)?;
                }
                out.write_all(page.plain().as_bytes())
                    .map_err(write_error)?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn identify(file: &Path, templates: &Path, password: Option<&str>) -> CliResult {
    let templates = Templates::load(templates).map_err(cli_error)?;
    let pdf = open(file, password)?;
    let form = pdf.form().map_err(cli_error)?;
    let pages = pdf.text().map_err(cli_error)?;
    print_json(&templates.identify(&form, &pages))
}

/// Files named directly, and *.pdf under named directories (sorted, so the
/// output order does not depend on the file system).
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            let mut pending = vec![path.clone()];
            while let Some(dir) = pending.pop() {
                let entries = std::fs::read_dir(&dir).map_err(|e| {
                    CliError::Usage(format!("{}: cannot list the directory: {e}", dir.display()))
                })?;
                for entry in entries.flatten() {
                    let entry_path = entry.path();
                    if entry_path.is_dir() {
                        pending.push(entry_path);
                    } else if entry_path
                        .extension()
                        .is_some_and(|ext| ext.eq_ignore_ascii_case("pdf"))
                    {
                        found.push(entry_path);
                    }
                }
            }
            found.sort();
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            return Err(CliError::Usage(format!(
                "{}: no such file or directory",
                path.display()
            )));
        }
    }
    Ok(files)
}

/// One extract record: the form, or why the document could not be read.
fn read_one(file: &Path) -> Result<Form, magvar_pdfform::Error> {
    PdfDocument::open(file, None)?.form()
}

/// Documents a worker may have read ahead of the one the output waits for,
/// per worker: enough to keep every worker busy behind one slow document,
/// few enough that memory stays a handful of forms per worker.
const READ_AHEAD_PER_WORKER: usize = 4;

/// `form extract` on magvar-pipeline: the paths as the source, `--jobs`
/// workers reading documents, and this thread as the consumer writing the
/// records in input order (ordered mode). A document that cannot be read
/// is one error record; the run goes on and exits 1 at the end.
fn extract(
    paths: &[PathBuf],
    jobs: Option<usize>,
    format: ExtractFormat,
    output: Option<&Path>,
) -> CliResult {
    let jobs = match jobs {
        Some(0) => return Err(CliError::Usage("--jobs must be at least 1".into())),
        Some(jobs) => jobs,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let files = collect_files(paths)?;
    let total = files.len();
    let sink: Box<dyn Write> = match output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .map_err(|e| CliError::Usage(format!("{}: cannot create: {e}", path.display())))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut writer = RecordWriter::new(sink, format)?;
    let progress = progress_bar(total, "documents");
    crate::interrupt::install("form extract");
    // Ctrl-C stops handing out files; the documents in hand are finished
    // and written whole.
    let listed = files.clone();
    let files = files
        .into_iter()
        .take_while(|_| !crate::interrupt::requested());
    let mut running = Pipeline::source(files)
        .ordered(jobs * READ_AHEAD_PER_WORKER)
        .stage(
            Stage::new("read")
                .workers(jobs)
                .counting_errors(|(_, record): &Record| record.is_err()),
            |files| {
                files.map(|file| {
                    let record = read_one(&file);
                    (file, record)
                })
            },
        )
        .start();
    let mut failed = 0usize;
    let mut documents = 0usize;
    let mut written = Ok(());
    for (file, record) in running.by_ref() {
        progress.inc(1);
        documents += 1;
        if let Err(error) = &record {
            failed += 1;
            progress.suspend(|| eprintln!("{error}"));
        }
        written = writer.write(&file, &record);
        if written.is_err() {
            // The output is gone (a closed pipe, a full disk): finishing
            // cancels the rest of the run.
            break;
        }
    }
    let outcome = running.finish();
    progress.finish_and_clear();
    written?;
    outcome.map_err(|error| CliError::Failed(format!("form extract: {error}")))?;
    writer.finish()?;
    if failed > 0 {
        eprintln!("{failed} of {total} documents could not be read");
    }
    if documents < total && crate::interrupt::requested() {
        let to = output.map_or("standard output".to_string(), |p| p.display().to_string());
        return Err(CliError::Interrupted(format!(
            "{documents} of {total} documents written to {to}, each record whole; the next was {} (document {} in the order read)",
            listed[documents].display(),
            documents + 1
        )));
    }
    if failed > 0 {
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// A bar counting `total` `what` on a terminal; nothing elsewhere.
pub(crate) fn progress_bar(total: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    ProgressBar::new(total as u64).with_style(
        ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    )
}

/// One document's record: its path and its form, or why it could not be read.
type Record = (PathBuf, Result<Form, magvar_pdfform::Error>);

enum RecordWriter {
    Jsonl(Box<dyn Write>),
    Csv(Box<csv::Writer<Box<dyn Write>>>),
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    file: String,
    error: &'a str,
}

impl RecordWriter {
    fn new(sink: Box<dyn Write>, format: ExtractFormat) -> Result<Self, CliError> {
        Ok(match format {
            ExtractFormat::Jsonl => RecordWriter::Jsonl(sink),
            ExtractFormat::Csv => {
                let mut writer = csv::Writer::from_writer(sink);
                writer
                    .write_record(["file", "field", "kind", "value", "error"])
                    .map_err(|e| CliError::Failed(e.to_string()))?;
                RecordWriter::Csv(Box::new(writer))
            }
        })
    }

    fn write(
        &mut self,
        file: &Path,
        record: &Result<Form, magvar_pdfform::Error>,
    ) -> Result<(), CliError> {
        let name = file.display().to_string();
        match self {
            RecordWriter::Jsonl(out) => {
                let line = match record {
                    Ok(form) => serde_json::to_string(form),
                    Err(error) => serde_json::to_string(&ErrorRecord {
                        file: name,
                        error: &error.to_string(),
                    }),
                }
                .map_err(|e| CliError::Failed(e.to_string()))?;
                writeln!(out, "{line}").map_err(write_error)
            }
            RecordWriter::Csv(writer) => {
                let csv_error = |e: csv::Error| CliError::Failed(format!("cannot write CSV: {e}"));
                match record {
                    Ok(form) if form.fields.is_empty() => writer
                        .write_record([name.as_str(), "", "", "", ""])
                        .map_err(csv_error),
                    Ok(form) => {
                        for field in &form.fields {
                            writer
                                .write_record([
                                    name.as_str(),
                                    &field.name,
                                    &kind_name(field.kind),
                                    &value_cell(&field.value),
                                    "",
                                ])
                                .map_err(csv_error)?;
                        }
                        Ok(())
                    }
                    Err(error) => writer
                        .write_record([name.as_str(), "", "", "", &error.to_string()])
                        .map_err(csv_error),
                }
            }
        }
    }

    fn finish(self) -> Result<(), CliError> {
        match self {
            RecordWriter::Jsonl(mut out) => out.flush().map_err(write_error),
            RecordWriter::Csv(mut writer) => writer.flush().map_err(write_error),
        }
    }
}
