//! whois (being written)
