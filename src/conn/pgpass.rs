//! The password file (`~/.pgpass`, `PGPASSFILE`, `passfile`), read as libpq reads it.
//!
//! Lines are `hostname:port:database:username:password`; `*` as a whole field matches anything; `\`
//! escapes `:` and `\`; lines starting with `#` are comments; the first matching line wins. A Unix socket
//! connection to the default socket directory matches `localhost`. A file that is not a plain file, or
//! that the group or others may access, is ignored with a warning (libpq's permission check).
//!
//! Invariant: the password read is returned as a [`Secret`] and never logged; warnings name the file only.

use super::params::{Endpoint, Host, Secret};
use super::resolve::default_socket_dir;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// What the file gave for one connection.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Found(Secret),
    /// No file, or no matching line.
    Nothing,
    /// The file was not used; the reason names the file.
    Ignored(String),
}

/// The password for `endpoint`, `dbname` and `user` from `file` (an empty one counts as none); a file
/// that cannot be used is reported with a warning, as libpq does.
pub(crate) fn lookup(file: &Path, endpoint: &Endpoint<'_>, dbname: &str, user: &str) -> Option<Secret> {
    match password_from_file(file, &host_key(endpoint), endpoint.port, dbname, user) {
        Outcome::Found(secret) if !secret.expose().is_empty() => Some(secret),
        Outcome::Found(_) | Outcome::Nothing => None,
        Outcome::Ignored(reason) => {
            tracing::warn!("{reason}");
            None
        }
    }
}

/// The host name a `.pgpass` line is matched against.
fn host_key(endpoint: &Endpoint<'_>) -> String {
    match endpoint.host {
        Host::Tcp(h) => h.clone(),
        Host::Socket(dir) if *dir == default_socket_dir() => "localhost".to_string(),
        Host::Socket(dir) => dir.display().to_string(),
    }
}

pub(crate) fn password_from_file(file: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Outcome {
    let Ok(meta) = std::fs::metadata(file) else { return Outcome::Nothing };
    if !meta.is_file() {
        return Outcome::Ignored(format!("password file \"{}\" is not a plain file", file.display()));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return Outcome::Ignored(format!(
            "password file \"{}\" has group or world access; permissions should be u=rw (0600) or less",
            file.display()
        ));
    }
    let text = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            return Outcome::Ignored(format!("could not read password file \"{}\": {e}", file.display()));
        }
    };
    let port = port.to_string();
    let wanted = [host, port.as_str(), dbname, user];
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(password) = match_line(line, &wanted) {
            return Outcome::Found(Secret::new(password));
        }
    }
    Outcome::Nothing
}

/// The password of `line` when its first four fields match `wanted`.
fn match_line(line: &str, wanted: &[&str; 4]) -> Option<String> {
    let mut rest = line;
    for want in wanted {
        let (field, raw, after) = next_field(rest)?;
        if raw != "*" && field != *want {
            return None;
        }
        rest = after;
    }
    Some(next_field(rest).map_or_else(|| unescape(rest), |(password, _, _)| password))
}

/// The unescaped field up to the first unescaped `:`, the raw text of it, and what follows the `:`.
fn next_field(s: &str) -> Option<(String, &str, &str)> {
    let mut field = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped)) => field.push(escaped),
                None => return None,
            },
            ':' => return Some((field, &s[..i], &s[i + 1..])),
            _ => field.push(c),
        }
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn file_with(text: &str, mode: u32) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        fs::write(file.path(), text).unwrap();
        fs::set_permissions(file.path(), fs::Permissions::from_mode(mode)).unwrap();
        file
    }

    fn found(outcome: Outcome) -> String {
        match outcome {
            Outcome::Found(s) => s.expose().to_string(),
            Outcome::Nothing => "-".to_string(),
            Outcome::Ignored(reason) => format!("ignored: {reason}"),
        }
    }

    #[test]
    fn matching_is_libpqs() {
        let text = "\
# comment:*:*:*:nope
db.example:5432:app:alice:first
db.example:*:*:alice:second
*:5433:*:*:third
local\\:host:5432:a\\\\b:c:pa\\:ss\\\\word:ignored
h:5432:d:u:
*:*:*:bob:p@ss:w/rd\r
";
        let file = file_with(text, 0o600);
        #[rustfmt::skip]
        let cases = [
            (("db.example", 5432, "app", "alice"), "first"),
            (("db.example", 5432, "other", "alice"), "second"),
            (("db.example", 6000, "app", "alice"), "second"),
            (("elsewhere", 5433, "x", "y"), "third"),
            (("local:host", 5432, "a\\b", "c"), "pa:ss\\word"),
            (("h", 5432, "d", "u"), ""),
            (("any", 1, "db", "bob"), "p@ss"),
            (("db.example", 5432, "app", "mallory"), "-"),
            (("DB.EXAMPLE", 5432, "app", "alice"), "-"),
            (("# comment", 1, "x", "y"), "-"),
        ];
        for ((host, port, db, user), want) in cases {
            assert_eq!(
                found(password_from_file(file.path(), host, port, db, user)),
                want,
                "{host} {port} {db} {user}"
            );
        }
    }

    #[test]
    fn a_literal_star_is_escaped() {
        let file = file_with("\\*:5432:d:u:literal\n", 0o600);
        assert_eq!(found(password_from_file(file.path(), "*", 5432, "d", "u")), "literal");
        assert_eq!(found(password_from_file(file.path(), "h", 5432, "d", "u")), "-");
    }

    #[test]
    fn group_or_world_access_means_ignored() {
        for (mode, want_used) in
            [(0o600, true), (0o400, true), (0o640, false), (0o604, false), (0o660, false)]
        {
            let file = file_with("*:*:*:*:secret\n", mode);
            let outcome = password_from_file(file.path(), "h", 5432, "d", "u");
            if want_used {
                assert_eq!(found(outcome), "secret", "mode {mode:o}");
            } else {
                let shown = found(outcome);
                assert!(
                    shown.contains("has group or world access") && !shown.contains("secret\""),
                    "{mode:o}: {shown}"
                );
            }
        }
    }

    #[test]
    fn missing_files_and_directories() {
        assert_eq!(password_from_file(Path::new("/nonexistent/.pgpass"), "h", 1, "d", "u"), Outcome::Nothing);
        let dir = tempfile::tempdir().unwrap();
        assert!(
            matches!(password_from_file(dir.path(), "h", 1, "d", "u"), Outcome::Ignored(r) if r.contains("not a plain file"))
        );
    }

    #[test]
    fn the_default_socket_directory_is_localhost() {
        let socket = Host::Socket(default_socket_dir());
        let other = Host::Socket("/tmp/elsewhere".into());
        let tcp = Host::Tcp("db".into());
        let key = |host| host_key(&Endpoint { host, port: 5432, hostaddr: None });
        assert_eq!(
            (key(&socket), key(&other), key(&tcp)),
            ("localhost".into(), "/tmp/elsewhere".into(), "db".into())
        );
    }
}
