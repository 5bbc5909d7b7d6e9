//! Parsing connection strings with libpq's syntax: `postgresql://` (or `postgres://`) URLs and `key=value`
//! strings. This only parses: defaults, the environment and `.pgpass` are applied by `resolve`.
//!
//! Invariants: the rules are libpq's (`conninfo_parse` and `conninfo_uri_parse_options` in fe-connect.c):
//! multiple `host[:port]` pairs in a URL become comma-separated `host` and `port` values, empty URL parts
//! are left unset, query parameters override the parts before them, and keywords libpq does not know are
//! errors. Error messages never contain the input string or a value, only keywords and positions, so a
//! password cannot leak through them.

use super::keywords::keyword;
use anyhow::{Result, bail};
use std::collections::BTreeMap;
use std::fmt;

/// A parsed connection string: keyword to value, as given (nothing defaulted yet).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnInfo {
    values: BTreeMap<&'static str, String>,
}

impl ConnInfo {
    /// The value given for `keyword`, if any.
    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.values.get(keyword).map(String::as_str)
    }

    /// Sets `keyword` (which must be one libpq knows) to `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) -> Result<()> {
        let Some(k) = keyword(name) else { bail!("invalid connection option {}", quoted_name(name)) };
        self.values.insert(k.name, value.into());
        Ok(())
    }

    /// The keywords given, in name order.
    pub fn keywords(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.values.keys().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Shows every value but the password.
impl fmt::Debug for ConnInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (k, v) in &self.values {
            if *k == "password" {
                map.entry(k, &"********");
            } else {
                map.entry(k, v);
            }
        }
        map.finish()
    }
}

/// Parses a URL (`postgresql://...` or `postgres://...`) or a `key=value` connection string.
pub fn parse_conninfo(s: &str) -> Result<ConnInfo> {
    match uri_rest(s) {
        Some(rest) => parse_uri(rest),
        None => parse_key_values(s),
    }
}

/// Whether `s` is a connection URL rather than a `key=value` string.
pub fn is_uri(s: &str) -> bool {
    uri_rest(s).is_some()
}

fn uri_rest(s: &str) -> Option<&str> {
    s.strip_prefix("postgresql://").or_else(|| s.strip_prefix("postgres://"))
}

/// A keyword for an error message: quoted when it looks like one, otherwise only described, because an
/// arbitrary token in a malformed string may be part of a password.
fn quoted_name(name: &str) -> String {
    let keyword_like = !name.is_empty()
        && name.len() <= 40
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if keyword_like { format!("\"{name}\"") } else { "(not shown: it is not a keyword)".to_string() }
}

fn parse_key_values(s: &str) -> Result<ConnInfo> {
    let mut info = ConnInfo::default();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i == chars.len() {
            return Ok(info);
        }
        let start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
            i += 1;
        }
        let name: String = chars[start..i].iter().collect();
        skip_ws(&mut i);
        if chars.get(i) != Some(&'=') {
            bail!("missing \"=\" after {} in connection info string", quoted_name(&name));
        }
        i += 1;
        skip_ws(&mut i);
        let value = if chars.get(i) == Some(&'\'') {
            quoted_value(&chars, &mut i)?
        } else {
            let mut value = String::new();
            while i < chars.len() && !chars[i].is_whitespace() {
                if chars[i] == '\\' {
                    i += 1;
                    if i == chars.len() {
                        break;
                    }
                }
                value.push(chars[i]);
                i += 1;
            }
            value
        };
        info.set(&name, value)?;
    }
}

/// A single-quoted value starting at `chars[*i]`; backslash escapes the next character.
fn quoted_value(chars: &[char], i: &mut usize) -> Result<String> {
    let mut value = String::new();
    *i += 1;
    loop {
        match chars.get(*i) {
            None => bail!("unterminated quoted string in connection info string"),
            Some('\'') => {
                *i += 1;
                return Ok(value);
            }
            Some('\\') => {
                *i += 1;
                if let Some(&c) = chars.get(*i) {
                    value.push(c);
                    *i += 1;
                }
            }
            Some(&c) => {
                value.push(c);
                *i += 1;
            }
        }
    }
}

/// `rest` is the URL after `scheme://`: `[user[:password]@][netloc][,netloc...][/dbname][?params]`.
fn parse_uri(rest: &str) -> Result<ConnInfo> {
    let mut info = ConnInfo::default();
    let b = rest.as_bytes();
    let mut p = b.iter().position(|&c| c == b'@' || c == b'/').unwrap_or(b.len());
    if b.get(p) == Some(&b'@') {
        let userspec = &rest[..p];
        let (user, password) = match userspec.split_once(':') {
            Some((u, pw)) => (u, Some(pw)),
            None => (userspec, None),
        };
        if !user.is_empty() {
            info.set("user", decode(user, "user name")?)?;
        }
        if let Some(pw) = password {
            info.set("password", decode(pw, "password")?)?;
        }
        p += 1;
    } else {
        p = 0;
    }
    let (hosts, ports, mut p) = parse_netlocs(rest, p)?;
    if !hosts.is_empty() {
        info.set("host", decode(&hosts, "host")?)?;
    }
    if !ports.is_empty() {
        info.set("port", decode(&ports, "port")?)?;
    }
    if b.get(p) == Some(&b'/') {
        let start = p + 1;
        p = b[start..].iter().position(|&c| c == b'?').map_or(b.len(), |q| start + q);
        if p > start {
            info.set("dbname", decode(&rest[start..p], "database name")?)?;
        }
    }
    if p < b.len() {
        parse_uri_params(&rest[p + 1..], &mut info)?;
    }
    Ok(info)
}

/// The comma-separated `host[:port]` list starting at byte `p`: the joined hosts, the joined ports (empty
/// entries where a host has none, as libpq does) and the position of the terminator (`/`, `?` or end).
fn parse_netlocs(rest: &str, mut p: usize) -> Result<(String, String, usize)> {
    let b = rest.as_bytes();
    let (mut hosts, mut ports) = (String::new(), String::new());
    loop {
        let host = if b.get(p) == Some(&b'[') {
            let start = p + 1;
            let Some(end) = b[start..].iter().position(|&c| c == b']').map(|e| start + e) else {
                bail!("end of string reached when looking for matching \"]\" in IPv6 host address in URL");
            };
            if end == start {
                bail!("IPv6 host address may not be empty in URL");
            }
            p = end + 1;
            if !matches!(b.get(p), None | Some(b':' | b'/' | b'?' | b',')) {
                bail!("unexpected character at position {} in URL (expected \":\" or \"/\")", p + 1);
            }
            &rest[start..end]
        } else {
            let start = p;
            while !matches!(b.get(p), None | Some(b':' | b'/' | b'?' | b',')) {
                p += 1;
            }
            &rest[start..p]
        };
        hosts.push_str(host);
        if b.get(p) == Some(&b':') {
            let start = p + 1;
            p = start;
            while !matches!(b.get(p), None | Some(b'/' | b'?' | b',')) {
                p += 1;
            }
            ports.push_str(&rest[start..p]);
        }
        if b.get(p) != Some(&b',') {
            return Ok((hosts, ports, p));
        }
        p += 1;
        hosts.push(',');
        ports.push(',');
    }
}

/// `key=value&key=value`, each side percent-decoded; `ssl=true` means `sslmode=require` (JDBC's form).
fn parse_uri_params(params: &str, info: &mut ConnInfo) -> Result<()> {
    if params.is_empty() {
        return Ok(());
    }
    for pair in params.split('&') {
        let mut parts = pair.split('=');
        let (Some(key), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
            let which = if pair.contains('=') { "extra" } else { "missing" };
            bail!("{which} key/value separator \"=\" in URL query parameter {}", quoted_name(pair));
        };
        let key = decode(key, "query parameter name")?;
        let value = decode(value, "query parameter value")?;
        let (key, value) = if key == "ssl" && value == "true" {
            ("sslmode".to_string(), "require".to_string())
        } else {
            (key, value)
        };
        if keyword(&key).is_none() {
            bail!("invalid URL query parameter {}", quoted_name(&key));
        }
        info.set(&key, value)?;
    }
    Ok(())
}

/// Percent-decoding as libpq does it: `%XX` only (no `+` for space), `%00` forbidden, UTF-8 required.
fn decode(s: &str, what: &str) -> Result<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                bail!("invalid percent-encoded token in the URL's {what}");
            };
            if byte == 0 {
                bail!("forbidden value %00 in the URL's {what}");
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out)
        .map_err(|_| anyhow::anyhow!("the URL's {what} is not UTF-8 after percent-decoding"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(s: &str) -> Vec<(String, String)> {
        let info = parse_conninfo(s).unwrap();
        info.keywords().map(|k| (k.to_string(), info.get(k).unwrap().to_string())).collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<_> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        v.sort();
        v
    }

    #[test]
    fn key_value_strings() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("host=db port=5433", &[("host", "db"), ("port", "5433")]),
            ("  host = db\tdbname=app  ", &[("host", "db"), ("dbname", "app")]),
            (r"password='it\'s a \\ secret'", &[("password", r"it's a \ secret")]),
            (r"password=a\ b", &[("password", "a b")]),
            ("host='' user=x", &[("host", ""), ("user", "x")]),
            ("host=a host=b", &[("host", "b")]),
            // libpq skips whitespace after "=", so the next word is the value.
            ("host= port=5", &[("host", "port=5")]),
            ("", &[]),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), kv(want), "{input}");
        }
    }

    #[test]
    fn key_value_errors() {
        let cases = [
            ("host", "missing \"=\" after \"host\""),
            ("hots=x", "invalid connection option \"hots\""),
            ("password='abc", "unterminated quoted string"),
            ("Secret!Thing host=x", "missing \"=\" after (not shown"),
            ("password='it''s'", "missing \"=\" after (not shown"),
        ];
        for (input, want) in cases {
            let err = parse_conninfo(input).unwrap_err().to_string();
            assert!(err.contains(want), "{input}: {err}");
        }
    }

    #[test]
    fn urls() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("postgresql://", &[]),
            ("postgres://db", &[("host", "db")]),
            (
                "postgresql://u:p%40ss%3Aw@db:5433/app",
                &[("user", "u"), ("password", "p@ss:w"), ("host", "db"), ("port", "5433"), ("dbname", "app")],
            ),
            ("postgresql://u:@db", &[("user", "u"), ("password", ""), ("host", "db")]),
            ("postgresql://[::1]:5433/app", &[("host", "::1"), ("port", "5433"), ("dbname", "app")]),
            ("postgresql://[2001:db8::7]/app", &[("host", "2001:db8::7"), ("dbname", "app")]),
            ("postgresql://a:1,b:2,c/app", &[("host", "a,b,c"), ("port", "1,2,"), ("dbname", "app")]),
            ("postgresql://a,[::1]:7/", &[("host", "a,::1"), ("port", ",7")]),
            (
                "postgresql://user@/db?host=/run/postgresql",
                &[("user", "user"), ("dbname", "db"), ("host", "/run/postgresql")],
            ),
            (
                "postgresql://%2Fvar%2Frun%2Fpostgresql/db",
                &[("host", "/var/run/postgresql"), ("dbname", "db")],
            ),
            (
                "postgresql:///db?host=%2Ftmp&port=5499",
                &[("host", "/tmp"), ("port", "5499"), ("dbname", "db")],
            ),
            (
                "postgresql://db/app?ssl=true&application_name=a%20b",
                &[("host", "db"), ("dbname", "app"), ("sslmode", "require"), ("application_name", "a b")],
            ),
            (
                "postgresql://db/?sslmode=verify-full&host=other",
                &[("host", "other"), ("sslmode", "verify-full")],
            ),
            ("postgresql://db/app+x", &[("host", "db"), ("dbname", "app+x")]),
            ("postgresql://db?", &[("host", "db")]),
        ];
        for (input, want) in cases {
            assert_eq!(parsed(input), kv(want), "{input}");
        }
    }

    #[test]
    fn url_errors_never_show_the_password() {
        let cases = [
            ("postgresql://u:s3cret%zz@db", "invalid percent-encoded token in the URL's password"),
            ("postgresql://u:s3cret%00@db", "forbidden value %00 in the URL's password"),
            ("postgresql://[::1/db", "matching \"]\""),
            ("postgresql://[]/db", "may not be empty"),
            ("postgresql://[::1]x/db", "unexpected character at position 6"),
            ("postgresql://db/app?sslmode", "missing key/value separator"),
            ("postgresql://db/app?a=b=c", "extra key/value separator"),
            ("postgresql://u:s3cret@db/app?hots=x", "invalid URL query parameter \"hots\""),
        ];
        for (input, want) in cases {
            let err = parse_conninfo(input).unwrap_err().to_string();
            assert!(err.contains(want), "{input}: {err}");
            assert!(!err.contains("s3cret"), "{input}: {err}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let info = parse_conninfo("postgresql://u:s3cret@db/app").unwrap();
        let shown = format!("{info:?}");
        assert!(!shown.contains("s3cret") && shown.contains("********"), "{shown}");
    }
}
