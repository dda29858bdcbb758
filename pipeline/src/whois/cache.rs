//! The answers already received, on disk (redb, an embedded pure-Rust
//! store) so that a later run asks nothing twice. Entries expire: registries
//! reassign address space, and a stale owner is worse than one more query.

use super::net::Network;
use super::parse::Server;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Network (as text) -> JSON of [`Stored`]`<Answer>`.
const ANSWERS: TableDefinition<&str, &str> = TableDefinition::new("answers");
/// Bootstrap block (as text) -> JSON of [`Stored`]`<Server>`.
const REFERRALS: TableDefinition<&str, &str> = TableDefinition::new("referrals");

/// What a registry said about one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub network: Network,
    pub organisation: Option<String>,
    pub netname: Option<String>,
    pub country: Option<String>,
    pub asn: Option<u32>,
    /// The server that answered.
    pub server: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredAnswer {
    stored_at: u64,
    network: String,
    organisation: Option<String>,
    netname: Option<String>,
    country: Option<String>,
    asn: Option<u32>,
    server: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredReferral {
    stored_at: u64,
    server: Server,
}

#[derive(Debug, thiserror::Error)]
#[error("whois cache {path}: {message}")]
pub struct CacheError {
    pub path: PathBuf,
    pub message: String,
}

pub struct Cache {
    db: Database,
    path: PathBuf,
    ttl: Duration,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What the cache holds that has not expired.
#[derive(Debug, Default)]
pub struct Cached {
    pub answers: Vec<Answer>,
    pub referrals: Vec<(Network, Server)>,
}

impl Cache {
    /// Opens (or creates) the cache file; entries older than `ttl` are
    /// ignored.
    pub fn open(path: &Path, ttl: Duration) -> Result<Cache, CacheError> {
        let error = |message: String| CacheError {
            path: path.to_path_buf(),
            message,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| error(e.to_string()))?;
        }
        let db = Database::create(path).map_err(|e| error(e.to_string()))?;
        let cache = Cache {
            db,
            path: path.to_path_buf(),
            ttl,
        };
        // Create the tables so that reads find them.
        cache.write(|txn| {
            txn.open_table(ANSWERS)?;
            txn.open_table(REFERRALS)?;
            Ok(())
        })?;
        Ok(cache)
    }

    fn error(&self, message: impl ToString) -> CacheError {
        CacheError {
            path: self.path.clone(),
            message: message.to_string(),
        }
    }

    fn write(
        &self,
        body: impl FnOnce(&redb::WriteTransaction) -> Result<(), redb::Error>,
    ) -> Result<(), CacheError> {
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        body(&txn).map_err(|e| self.error(e))?;
        txn.commit().map_err(|e| self.error(e))
    }

    /// Everything still fresh. Entries that no longer parse (written by a
    /// different version) are skipped, as if expired.
    pub fn load(&self) -> Result<Cached, CacheError> {
        self.load_as_of(now())
    }

    /// [`Cache::load`] as if the clock read `now` (seconds since 1970).
    fn load_as_of(&self, now: u64) -> Result<Cached, CacheError> {
        let oldest = now.saturating_sub(self.ttl.as_secs());
        let txn = self.db.begin_read().map_err(|e| self.error(e))?;
        let mut cached = Cached::default();
        let answers = txn.open_table(ANSWERS).map_err(|e| self.error(e))?;
        for entry in answers.iter().map_err(|e| self.error(e))? {
            let (_, value) = entry.map_err(|e| self.error(e))?;
            let Ok(stored) = serde_json::from_str::<StoredAnswer>(value.value()) else {
                continue;
            };
            let Some(network) = Network::parse(&stored.network) else {
                continue;
            };
            if stored.stored_at >= oldest {
                cached.answers.push(Answer {
                    network,
                    organisation: stored.organisation,
                    netname: stored.netname,
                    country: stored.country,
                    asn: stored.asn,
                    server: stored.server,
                });
            }
        }
        let referrals = txn.open_table(REFERRALS).map_err(|e| self.error(e))?;
        for entry in referrals.iter().map_err(|e| self.error(e))? {
            let (key, value) = entry.map_err(|e| self.error(e))?;
            let (Some(block), Ok(stored)) = (
                Network::parse(key.value()),
                serde_json::from_str::<StoredReferral>(value.value()),
            ) else {
                continue;
            };
            if stored.stored_at >= oldest {
                cached.referrals.push((block, stored.server));
            }
        }
        Ok(cached)
    }

    pub fn store_answer(&self, answer: &Answer) -> Result<(), CacheError> {
        let stored = StoredAnswer {
            stored_at: now(),
            network: answer.network.to_string(),
            organisation: answer.organisation.clone(),
            netname: answer.netname.clone(),
            country: answer.country.clone(),
            asn: answer.asn,
            server: answer.server.clone(),
        };
        let json = serde_json::to_string(&stored).map_err(|e| self.error(e))?;
        let key = answer.network.to_string();
        self.write(|txn| {
            txn.open_table(ANSWERS)?
                .insert(key.as_str(), json.as_str())?;
            Ok(())
        })
    }

    pub fn store_referral(&self, block: Network, server: &Server) -> Result<(), CacheError> {
        let stored = StoredReferral {
            stored_at: now(),
            server: server.clone(),
        };
        let json = serde_json::to_string(&stored).map_err(|e| self.error(e))?;
        let key = block.to_string();
        self.write(|txn| {
            txn.open_table(REFERRALS)?
                .insert(key.as_str(), json.as_str())?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_and_referrals_survive_reopening_and_expire() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/whois.redb");
        let answer = Answer {
            network: Network::parse("193.0.0.0/21").unwrap(),
            organisation: Some("RIPE NCC".into()),
            netname: Some("RIPE-NCC".into()),
            country: Some("NL".into()),
            asn: Some(3333),
            server: "whois.ripe.net:43".into(),
        };
        let ripe = Server::parse("whois.ripe.net").unwrap();
        {
            let cache = Cache::open(&path, Duration::from_secs(3600)).unwrap();
            cache.store_answer(&answer).unwrap();
            cache
                .store_referral(Network::parse("193.0.0.0/8").unwrap(), &ripe)
                .unwrap();
        }
        let cache = Cache::open(&path, Duration::from_secs(3600)).unwrap();
        let cached = cache.load().unwrap();
        assert_eq!(cached.answers, [answer]);
        assert_eq!(
            cached.referrals,
            [(Network::parse("193.0.0.0/8").unwrap(), ripe)]
        );
        // Two hours on, with a one-hour lifetime, everything has expired.
        let later = cache.load_as_of(now() + 7200).unwrap();
        assert!(later.answers.is_empty() && later.referrals.is_empty());
    }

    #[test]
    fn a_file_that_is_not_a_cache_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, "this is not a database, just text ".repeat(200)).unwrap();
        let error = Cache::open(&path, Duration::from_secs(1))
            .err()
            .expect("refused");
        assert!(error.to_string().contains("notes.txt"), "{error}");
    }
}
