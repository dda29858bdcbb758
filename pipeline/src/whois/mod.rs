//! Which organisations the clients of a web server belong to. Client
//! addresses from access logs flow through a [`crate::Pipeline`] to
//! concurrent RFC 3912 whois lookups that follow referrals, share answers,
//! and remember them on disk (where the caller says).

pub mod cache;
pub mod client;
pub mod log;
pub mod net;
pub mod parse;
pub mod report;
pub mod resolver;

use crate::{Pipeline, PipelineError, Stage};
use cache::{Cache, CacheError, Cached};
use client::ClientConfig;
use log::{LogError, read_logs};
use parse::Server;
use report::{Report, traffic_by_address};
use resolver::Resolver;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

pub use report::Format;

/// The bootstrap server every lookup starts from unless a referral is known.
pub const DEFAULT_BOOTSTRAP: &str = "whois.iana.org";

/// Everything an analysis can be told.
#[derive(Debug, Clone)]
pub struct WhoisConfig {
    /// Concurrent lookups.
    pub workers: usize,
    pub bootstrap: Server,
    pub client: ClientConfig,
    /// The answer cache; `None` (the default) to neither read nor write
    /// one. Where a cache belongs (a user's cache directory, a service's
    /// state directory) is the front-end's choice, not this library's.
    pub cache: Option<PathBuf>,
    /// How long a cached answer is trusted.
    pub cache_ttl: Duration,
    /// When the cache cannot be used (another run holds it, the file is
    /// not a cache): fail (true, for a cache the user named), or go on
    /// without it and say so in [`Report::cache_errors`] (false, for one
    /// the front-end chose on the user's behalf).
    pub cache_required: bool,
    /// Referrals followed per lookup at most.
    pub max_referrals: usize,
}

impl Default for WhoisConfig {
    fn default() -> Self {
        WhoisConfig {
            workers: 12,
            bootstrap: Server {
                host: DEFAULT_BOOTSTRAP.to_string(),
                port: 43,
            },
            client: ClientConfig::default(),
            cache: None,
            cache_ttl: Duration::from_secs(30 * 86_400),
            cache_required: false,
            max_referrals: 5,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WhoisError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Cache(#[from] CacheError),
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

type LookupResult = (IpAddr, Result<Arc<cache::Answer>, resolver::LookupError>);

fn lookup_failed(result: &LookupResult) -> bool {
    result.1.is_err()
}

/// Reads the logs, looks every distinct client up and aggregates.
///
/// `progress(done, total)` is called after each address's lookup. Setting
/// `stop` (e.g. from a Ctrl-C handler) ends the run early: the lines read
/// and the lookups already answered are kept, the remaining addresses are
/// reported as not looked up, and [`Report::interrupted`] says so.
pub fn analyse(
    logs: &[PathBuf],
    config: &WhoisConfig,
    stop: Arc<AtomicBool>,
    mut progress: impl FnMut(u64, u64),
) -> Result<Report, WhoisError> {
    let data = read_logs(logs, &stop)?;
    let mut cache_errors = Vec::new();
    let opened = config.cache.as_deref().map(|path| {
        let cache = Cache::open(path, config.cache_ttl)?;
        let cached = cache.load()?;
        Ok::<_, CacheError>((cache, cached))
    });
    let cache_used = matches!(opened, Some(Ok(_)));
    let (cache, cached) = match opened {
        None => (None, Cached::default()),
        Some(Ok((cache, cached))) => (Some(cache), cached),
        Some(Err(error)) if config.cache_required => return Err(error.into()),
        Some(Err(error)) => {
            cache_errors.push(format!("{error}; going on without the cache"));
            (None, Cached::default())
        }
    };
    let resolver = Arc::new(Resolver::new(
        config.bootstrap.clone(),
        config.client.clone(),
        config.max_referrals,
        cache,
        cached,
        Arc::clone(&stop),
    ));
    // Busiest clients first: if the run is interrupted, the report already
    // covers most of the traffic.
    let mut addresses = traffic_by_address(&data.requests);
    addresses.sort_by_key(|&(_, requests)| std::cmp::Reverse(requests));
    let total = addresses.len() as u64;
    let workers_resolver = Arc::clone(&resolver);
    let pipeline = Pipeline::source(addresses.into_iter().map(|(ip, _)| ip)).stage(
        Stage::new("lookup")
            .workers(config.workers)
            .capacity(config.workers.max(1) * 2)
            .counting_errors(lookup_failed),
        move |inputs| {
            let resolver = Arc::clone(&workers_resolver);
            inputs.map(move |ip| (ip, resolver.resolve(ip)))
        },
    );
    let cancel = pipeline.cancel_handle();
    let mut results = HashMap::new();
    let summary = pipeline.run(|(ip, result)| {
        results.insert(ip, result);
        progress(results.len() as u64, total);
        if stop.load(Ordering::Relaxed) {
            cancel.cancel();
        }
    })?;
    let mut report = Report::build(
        &data.requests,
        &results,
        data.malformed,
        resolver.queries_sent(),
    );
    cache_errors.extend(resolver.cache_errors());
    report.cache_errors = cache_errors;
    report.stages = summary.stages;
    report.log_lines = data.lines;
    report.interrupted |= data.stopped_at.is_some();
    report.stopped_reading = data.stopped_at;
    report.cache_used = cache_used;
    Ok(report)
}
