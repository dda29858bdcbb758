//! The analysis result: per organisation, per network and per address, and
//! its text, CSV and JSON renderings.

use super::cache::Answer;
use super::log::{LogPosition, MalformedLine, Request, format_time};
use super::resolver::LookupError;
use crate::StageSnapshot;
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::net::IpAddr;
use std::sync::Arc;

/// The organisation under which addresses whose lookup failed are counted.
pub const LOOKUP_FAILED: &str = "(lookup failed)";
/// An answer that named neither an organisation nor a network name.
pub const UNNAMED: &str = "(unnamed)";

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrganisationRow {
    pub organisation: String,
    pub networks: Vec<String>,
    pub requests: u64,
    pub distinct_ips: u64,
    pub bytes: u64,
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AddressRow {
    pub ip: String,
    pub organisation: Option<String>,
    pub network: Option<String>,
    pub country: Option<String>,
    pub asn: Option<u32>,
    pub requests: u64,
    pub bytes: u64,
    pub error: Option<String>,
}

impl AddressRow {
    /// Not looked up because the run was stopped first.
    pub fn interrupted(&self) -> bool {
        self.error.as_deref() == Some(&LookupError::Interrupted.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct NetworkRow {
    pub network: String,
    pub organisation: String,
    pub country: Option<String>,
    pub asn: Option<u32>,
    pub requests: u64,
    pub distinct_ips: u64,
    pub bytes: u64,
}

/// The whole analysis. Serialises to exactly the JSON of the issue:
/// `organisations`, `addresses`, `malformed_lines` (a count) and `lookups`
/// (queries sent).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub organisations: Vec<OrganisationRow>,
    pub addresses: Vec<AddressRow>,
    pub malformed_lines: u64,
    pub lookups: u64,
    /// Where the malformed lines are, and why.
    #[serde(skip)]
    pub malformed: Vec<MalformedLine>,
    #[serde(skip)]
    pub networks: Vec<NetworkRow>,
    /// Problems writing the cache (the report itself is complete).
    #[serde(skip)]
    pub cache_errors: Vec<String>,
    /// The run was interrupted: some addresses were not looked up, or
    /// some log lines not read.
    #[serde(skip)]
    pub interrupted: bool,
    /// Log lines read, blank ones included.
    #[serde(skip)]
    pub log_lines: u64,
    /// Where reading the logs stopped, if interrupted before their end.
    #[serde(skip)]
    pub stopped_reading: Option<LogPosition>,
    /// Whether answers were read from and written to a cache, so that a
    /// second run asks only for what this one did not get.
    #[serde(skip)]
    pub cache_used: bool,
    /// The pipeline's per-stage counters at the end of the run.
    #[serde(skip)]
    pub stages: Vec<StageSnapshot>,
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Json,
}

#[derive(Default)]
struct Traffic {
    requests: u64,
    bytes: u64,
    first: i64,
    last: i64,
}

impl Traffic {
    fn add(&mut self, request: &Request) {
        if self.requests == 0 {
            self.first = request.time;
            self.last = request.time;
        }
        self.requests += 1;
        self.bytes += request.bytes;
        self.first = self.first.min(request.time);
        self.last = self.last.max(request.time);
    }

    fn merge(&mut self, other: &Traffic) {
        if self.requests == 0 {
            self.first = other.first;
            self.last = other.last;
        }
        self.requests += other.requests;
        self.bytes += other.bytes;
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
    }
}

/// Per-address traffic, in order of first appearance.
pub(crate) fn traffic_by_address(requests: &[Request]) -> Vec<(IpAddr, u64)> {
    let mut order = Vec::new();
    let mut counts: HashMap<IpAddr, u64> = HashMap::new();
    for request in requests {
        let count = counts.entry(request.client).or_insert_with(|| {
            order.push(request.client);
            0
        });
        *count += 1;
    }
    order.into_iter().map(|ip| (ip, counts[&ip])).collect()
}

fn organisation_of(answer: &Answer) -> String {
    answer
        .organisation
        .clone()
        .or_else(|| answer.netname.clone())
        .unwrap_or_else(|| UNNAMED.to_string())
}

impl Report {
    pub(crate) fn build(
        requests: &[Request],
        results: &HashMap<IpAddr, Result<Arc<Answer>, LookupError>>,
        malformed: Vec<MalformedLine>,
        lookups: u64,
    ) -> Report {
        let mut per_ip: HashMap<IpAddr, Traffic> = HashMap::new();
        for request in requests {
            per_ip.entry(request.client).or_default().add(request);
        }
        let mut organisations: HashMap<String, (Traffic, u64, BTreeSet<String>)> = HashMap::new();
        let mut networks: HashMap<String, (NetworkRow, Traffic)> = HashMap::new();
        let mut addresses = Vec::new();
        for (ip, traffic) in &per_ip {
            let result = results
                .get(ip)
                .cloned()
                .unwrap_or(Err(LookupError::Interrupted));
            let (organisation, row) = match &result {
                Ok(answer) => {
                    let organisation = organisation_of(answer);
                    let network = answer.network.to_string();
                    let entry = networks.entry(network.clone()).or_insert_with(|| {
                        let row = NetworkRow {
                            network: network.clone(),
                            organisation: organisation.clone(),
                            country: answer.country.clone(),
                            asn: answer.asn,
                            requests: 0,
                            distinct_ips: 0,
                            bytes: 0,
                        };
                        (row, Traffic::default())
                    });
                    entry.0.distinct_ips += 1;
                    entry.1.merge(traffic);
                    let row = AddressRow {
                        ip: ip.to_string(),
                        organisation: Some(organisation.clone()),
                        network: Some(network),
                        country: answer.country.clone(),
                        asn: answer.asn,
                        requests: traffic.requests,
                        bytes: traffic.bytes,
                        error: None,
                    };
                    (organisation, row)
                }
                Err(error) => {
                    let row = AddressRow {
                        ip: ip.to_string(),
                        organisation: None,
                        network: None,
                        country: None,
                        asn: None,
                        requests: traffic.requests,
                        bytes: traffic.bytes,
                        error: Some(error.to_string()),
                    };
                    (LOOKUP_FAILED.to_string(), row)
                }
            };
            let entry = organisations.entry(organisation).or_default();
            entry.0.merge(traffic);
            entry.1 += 1;
            if let Some(network) = &row.network {
                entry.2.insert(network.clone());
            }
            addresses.push(row);
        }
        let mut organisations: Vec<OrganisationRow> = organisations
            .into_iter()
            .map(
                |(organisation, (traffic, distinct, networks))| OrganisationRow {
                    organisation,
                    networks: networks.into_iter().collect(),
                    requests: traffic.requests,
                    distinct_ips: distinct,
                    bytes: traffic.bytes,
                    first_seen: format_time(traffic.first),
                    last_seen: format_time(traffic.last),
                },
            )
            .collect();
        // Busiest first; names break ties so the output is reproducible.
        organisations
            .sort_by(|a, b| (b.requests, &a.organisation).cmp(&(a.requests, &b.organisation)));
        addresses.sort_by(|a, b| (b.requests, &a.ip).cmp(&(a.requests, &b.ip)));
        let mut networks: Vec<NetworkRow> = networks
            .into_values()
            .map(|(mut row, traffic)| {
                row.requests = traffic.requests;
                row.bytes = traffic.bytes;
                row
            })
            .collect();
        networks.sort_by(|a, b| (b.requests, &a.network).cmp(&(a.requests, &b.network)));
        let interrupted = addresses.iter().any(AddressRow::interrupted);
        Report {
            organisations,
            addresses,
            malformed_lines: malformed.len() as u64,
            lookups,
            malformed,
            networks,
            cache_errors: Vec::new(),
            interrupted,
            log_lines: 0,
            stopped_reading: None,
            cache_used: false,
            stages: Vec::new(),
        }
    }

    /// Writes the report in `format`. CSV holds the per-organisation table.
    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, self)?;
                writeln!(out)
            }
            Format::Csv => self.write_csv(out),
            Format::Text => self.write_text(out),
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "organisation",
            "networks",
            "requests",
            "distinct_ips",
            "bytes",
            "first_seen",
            "last_seen",
        ])?;
        for row in &self.organisations {
            writer.write_record([
                row.organisation.clone(),
                row.networks.join(" "),
                row.requests.to_string(),
                row.distinct_ips.to_string(),
                row.bytes.to_string(),
                row.first_seen.clone(),
                row.last_seen.clone(),
            ])?;
        }
        writer.flush()
    }

    fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let rows: Vec<Vec<String>> = self
            .organisations
            .iter()
            .map(|o| {
                vec![
                    o.organisation.clone(),
                    o.requests.to_string(),
                    o.distinct_ips.to_string(),
                    o.bytes.to_string(),
                    o.first_seen.clone(),
                    o.last_seen.clone(),
                ]
            })
            .collect();
        let header = [
            "organisation",
            "requests",
            "addresses",
            "bytes",
            "first seen",
            "last seen",
        ];
        write_table(out, &header, &rows)?;
        writeln!(out)?;
        let rows: Vec<Vec<String>> = self
            .networks
            .iter()
            .map(|n| {
                vec![
                    n.network.clone(),
                    n.organisation.clone(),
                    n.country.clone().unwrap_or_default(),
                    n.asn.map(|asn| format!("AS{asn}")).unwrap_or_default(),
                    n.requests.to_string(),
                    n.distinct_ips.to_string(),
                    n.bytes.to_string(),
                ]
            })
            .collect();
        let header = [
            "network",
            "organisation",
            "country",
            "AS",
            "requests",
            "addresses",
            "bytes",
        ];
        write_table(out, &header, &rows)?;
        let failed: Vec<&AddressRow> = self
            .addresses
            .iter()
            .filter(|a| a.error.is_some())
            .collect();
        if !failed.is_empty() {
            writeln!(out, "\nLookups that failed ({}):", failed.len())?;
            for address in failed {
                let error = address.error.as_deref().unwrap_or_default();
                writeln!(out, "  {}  {error}", address.ip)?;
            }
        }
        let requests: u64 = self.addresses.iter().map(|a| a.requests).sum();
        writeln!(
            out,
            "\n{requests} requests from {} addresses; {} whois queries sent; {} malformed lines",
            self.addresses.len(),
            self.lookups,
            self.malformed_lines
        )
    }
}

/// Left-aligned text columns, numbers right-aligned.
fn write_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let numeric = |column: usize| {
        !rows.is_empty()
            && rows.iter().all(|row| {
                row[column].bytes().all(|b| b.is_ascii_digit()) && !row[column].is_empty()
            })
    };
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(column, cell)| {
                if numeric(column) {
                    format!("{cell:>width$}", width = widths[column])
                } else {
                    format!("{cell:<width$}", width = widths[column])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
