//! Reading a whois answer: where it refers us next, and what it says about
//! the network holding the address. Registries differ in field names (ARIN
//! `NetRange`/`OrgName`, RIPE/APNIC/AFRINIC `inetnum`/`org-name`/`descr`,
//! LACNIC `inetnum`/`owner`), so each field has a list of names.

use super::net::Network;
use std::net::IpAddr;

/// A whois server to ask: host and TCP port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
}

impl Server {
    /// Parses `HOST`, `HOST:PORT`, `[V6]:PORT` or `whois://HOST[:PORT][/]`.
    pub fn parse(text: &str) -> Option<Server> {
        let text = text.trim();
        let text = text.strip_prefix("whois://").unwrap_or(text);
        let text = text.trim_end_matches('/');
        if text.is_empty() || text.contains(char::is_whitespace) || text.contains("://") {
            return None;
        }
        if let Some(rest) = text.strip_prefix('[') {
            let (host, after) = rest.split_once(']')?;
            let port = match after.strip_prefix(':') {
                Some(port) => port.parse().ok()?,
                None if after.is_empty() => 43,
                None => return None,
            };
            return Some(Server {
                host: host.to_string(),
                port,
            });
        }
        // A bare IPv6 address has several colons and no port.
        if text.matches(':').count() > 1 {
            return text.parse::<std::net::Ipv6Addr>().ok().map(|_| Server {
                host: text.to_string(),
                port: 43,
            });
        }
        match text.split_once(':') {
            Some((host, port)) if !host.is_empty() => Some(Server {
                host: host.to_string(),
                port: port.parse().ok()?,
            }),
            Some(_) => None,
            None => Some(Server {
                host: text.to_string(),
                port: 43,
            }),
        }
    }
}

impl std::fmt::Display for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// Where an answer sends us next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Referral {
    Whois(Server),
    /// RWhois (RFC 2167) is another protocol: noted, not followed.
    Rwhois(String),
}

/// What one answer says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub referral: Option<Referral>,
    /// The most specific network in the answer that holds the address.
    pub network: Option<Network>,
    pub organisation: Option<String>,
    pub netname: Option<String>,
    pub country: Option<String>,
    /// Origin AS number, e.g. 3333 for `origin: AS3333`.
    pub asn: Option<u32>,
}

const NETWORK_KEYS: &[&str] = &["inetnum", "inet6num", "netrange", "cidr", "network"];
/// Most telling first: a registered organisation name beats a free-text
/// description.
const ORGANISATION_KEYS: &[&str] = &[
    "orgname",
    "org-name",
    "owner",
    "organization",
    "organisation-name",
    "custname",
    "descr",
    // RIPE-style answers put an object id here ("ORG-RIEN1-RIPE"), IANA a
    // name ("IANA - Private Use"): better than nothing, worse than a name.
    "organisation",
];
const NETNAME_KEYS: &[&str] = &["netname", "net-name"];
const COUNTRY_KEYS: &[&str] = &["country"];
const ASN_KEYS: &[&str] = &["originas", "origin", "aut-num"];

/// `key: value` lines, keys lowercased, comments (`%`, `#`) skipped, with
/// the index of the blank-line separated record each line belongs to.
fn fields(text: &str) -> Vec<(usize, String, &str)> {
    let mut record = 0;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            record += 1;
            continue;
        }
        if line.starts_with('%') || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) && key.len() > 40 {
            continue;
        }
        out.push((record, key.to_ascii_lowercase(), value.trim()));
    }
    out
}

fn parse_referral(key: &str, value: &str) -> Option<Referral> {
    match key {
        "refer" | "whois" | "referralserver" | "referral" => {}
        _ => return None,
    }
    let lowered = value.to_ascii_lowercase();
    if lowered.starts_with("rwhois://") {
        return Some(Referral::Rwhois(value.to_string()));
    }
    Server::parse(value).map(Referral::Whois)
}

/// ARIN writes `NetRange: a - b`; a `CIDR:` line may list several blocks
/// (`10.0.0.0/15, 10.2.0.0/16`): the one holding the address wins.
fn parse_network(value: &str, ip: IpAddr) -> Option<Network> {
    let candidates: Vec<Network> = value.split(',').filter_map(Network::parse).collect();
    candidates
        .iter()
        .copied()
        .find(|n| n.contains(ip))
        .or_else(|| candidates.first().copied())
}

/// A network wider than any registry hands out (an IPv4 block above a /8,
/// an IPv6 one above a /12): the "not managed here" placeholders such as
/// RIPE's `0.0.0.0 - 255.255.255.255` IANA-BLK. Taking one as the answer
/// would pin every later address on the same non-owner.
fn placeholder(network: Network) -> bool {
    let widest: u128 = if network.first().is_ipv4() {
        (1 << 24) - 1
    } else {
        (1 << 116) - 1
    };
    network.span() > widest
}

fn parse_asn(value: &str) -> Option<u32> {
    let token = value.split_whitespace().next()?;
    let digits = token
        .strip_prefix("AS")
        .or_else(|| token.strip_prefix("as"))
        .unwrap_or(token);
    digits.parse().ok()
}

/// Parses one answer about `ip`.
pub fn parse_answer(text: &str, ip: IpAddr) -> Parsed {
    let fields = fields(text);
    let mut parsed = Parsed::default();
    // Pick the most specific network that holds the address, remembering
    // its record so that names come from the same record where possible.
    let mut network_record = None;
    for (record, key, value) in &fields {
        if parsed.referral.is_none() {
            parsed.referral = parse_referral(key, value);
        }
        if NETWORK_KEYS.contains(&key.as_str())
            && let Some(network) = parse_network(value, ip)
            && !placeholder(network)
        {
            let better = match parsed.network {
                None => true,
                Some(current) => {
                    network.contains(ip)
                        && (!current.contains(ip) || network.span() < current.span())
                }
            };
            if better {
                parsed.network = Some(network);
                network_record = Some(*record);
            }
        }
    }
    let pick = |keys: &[&str]| -> Option<String> {
        let usable = |(_, key, value): &&(usize, String, &str)| {
            keys.contains(&key.as_str()) && !value.is_empty() && !value.eq_ignore_ascii_case("n/a")
        };
        let rank = |key: &str| keys.iter().position(|k| *k == key).unwrap_or(usize::MAX);
        let same_record = fields
            .iter()
            .filter(usable)
            .filter(|(record, _, _)| Some(*record) == network_record)
            .min_by_key(|(_, key, _)| rank(key));
        let anywhere = fields
            .iter()
            .filter(usable)
            .min_by_key(|(_, key, _)| rank(key));
        // A better-ranked name elsewhere (RIPE's `org-name` lives in the
        // organisation object, not the inetnum) beats a worse one here.
        let chosen = match (same_record, anywhere) {
            (Some(here), Some(there)) if rank(&there.1) < rank(&here.1) => there,
            (Some(here), _) => here,
            (None, there) => there?,
        };
        Some(chosen.2.to_string())
    };
    parsed.organisation = pick(ORGANISATION_KEYS);
    parsed.netname = pick(NETNAME_KEYS);
    parsed.country = pick(COUNTRY_KEYS).map(|c| c.to_ascii_uppercase());
    parsed.asn = fields
        .iter()
        .filter(|(_, key, _)| ASN_KEYS.contains(&key.as_str()))
        .find_map(|(_, _, value)| parse_asn(value));
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn servers_in_all_their_forms() {
        let plain = Server::parse("whois.ripe.net").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("whois.ripe.net", 43));
        let url = Server::parse("whois://rwhois.example.net:4321/").unwrap();
        assert_eq!((url.host.as_str(), url.port), ("rwhois.example.net", 4321));
        let v6 = Server::parse("[::1]:4343").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 4343));
        assert_eq!(v6.to_string(), "[::1]:4343");
        assert_eq!(Server::parse("host:notaport"), None);
        assert_eq!(Server::parse("host:port:x"), None);
        assert_eq!(Server::parse("2001:db8::43").unwrap().port, 43);
        assert_eq!(Server::parse(""), None);
        assert_eq!(Server::parse("two words"), None);
    }

    #[test]
    fn iana_referral() {
        let text = "% IANA WHOIS server\n\nrefer:        whois.ripe.net\n\ninetnum:      193.0.0.0 - 193.255.255.255\norganisation: RIPE NCC\nstatus:       ALLOCATED\n\nwhois:        whois.ripe.net\n";
        let parsed = parse_answer(text, ip("193.0.6.139"));
        assert_eq!(
            parsed.referral,
            Some(Referral::Whois(Server::parse("whois.ripe.net").unwrap()))
        );
        assert_eq!(parsed.network.unwrap().to_string(), "193.0.0.0/8");
    }

    #[test]
    fn arin_with_referral_server_and_two_records() {
        let text = "NetRange:       8.0.0.0 - 8.255.255.255\nCIDR:           8.0.0.0/8\nNetName:        LVLT-ORG-8-8\nOrganization:   Level 3 Parent, LLC (LPL-141)\nOrgName:        Level 3 Parent, LLC\nCountry:        US\n\nNetRange:       8.8.8.0 - 8.8.8.255\nCIDR:           8.8.8.0/24\nNetName:        GOGL\nOriginAS:       AS15169\nOrgName:        Google LLC\nCountry:        US\nReferralServer: rwhois://rwhois.example.net:4321\n";
        let parsed = parse_answer(text, ip("8.8.8.8"));
        assert_eq!(parsed.network.unwrap().to_string(), "8.8.8.0/24");
        assert_eq!(parsed.organisation.as_deref(), Some("Google LLC"));
        assert_eq!(parsed.netname.as_deref(), Some("GOGL"));
        assert_eq!(parsed.asn, Some(15169));
        assert_eq!(
            parsed.referral,
            Some(Referral::Rwhois("rwhois://rwhois.example.net:4321".into()))
        );
    }

    #[test]
    fn ripe_organisation_object_and_route() {
        let text = "inetnum:        193.0.0.0 - 193.0.7.255\nnetname:        RIPE-NCC\ndescr:          RIPE Network Coordination Centre\norg:            ORG-RIEN1-RIPE\ncountry:        NL\n\norganisation:   ORG-RIEN1-RIPE\norg-name:       Reseaux IP Europeens Network Coordination Centre (RIPE NCC)\n\nroute:          193.0.0.0/21\norigin:         AS3333\n";
        let parsed = parse_answer(text, ip("193.0.6.139"));
        assert_eq!(parsed.network.unwrap().to_string(), "193.0.0.0/21");
        assert_eq!(
            parsed.organisation.as_deref(),
            Some("Reseaux IP Europeens Network Coordination Centre (RIPE NCC)")
        );
        assert_eq!(parsed.country.as_deref(), Some("NL"));
        assert_eq!(parsed.asn, Some(3333));
    }

    #[test]
    fn lacnic_owner_and_abbreviated_inetnum() {
        let text = "inetnum:     200.3.12/22\nstatus:      allocated\naut-num:     N/A\nowner:       Ministerio de Educacion\ncountry:     AR\n";
        let parsed = parse_answer(text, ip("200.3.13.1"));
        assert_eq!(parsed.network.unwrap().to_string(), "200.3.12.0/22");
        assert_eq!(
            parsed.organisation.as_deref(),
            Some("Ministerio de Educacion")
        );
        assert_eq!(parsed.asn, None);
    }

    #[test]
    fn not_managed_here_placeholders_are_no_network() {
        let text = "inetnum:        0.0.0.0 - 255.255.255.255\nnetname:        IANA-BLK\ndescr:          The whole IPv4 address space\n";
        assert_eq!(parse_answer(text, ip("8.8.8.8")).network, None);
        let v6 = "inet6num: ::/0\nnetname: ROOT\n";
        assert_eq!(parse_answer(v6, ip("2001:db8::1")).network, None);
        let slash8 = "inetnum: 8.0.0.0 - 8.255.255.255\n";
        assert!(parse_answer(slash8, ip("8.8.8.8")).network.is_some());
    }

    #[test]
    fn garbage_yields_nothing() {
        let parsed = parse_answer("\u{0}\u{1}binary junk ::: :::\n%%%\n", ip("1.2.3.4"));
        assert_eq!(parsed.network, None);
        assert_eq!(parsed.referral, None);
    }
}
