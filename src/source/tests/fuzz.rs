//! Generated hostile input for the readers of schema files (SQL and TOML) and of plan files: random bytes,
//! token soup from the characters that delimit things (quotes, dollar tags, comments, brackets, `;`,
//! backslashes, line breaks of every kind), long runs, and invalid UTF-8. Deterministic (a fixed xorshift
//! seed), bounded in size so it runs in seconds; it asserts that every input is read to an answer (items
//! or located diagnostics) without a panic.

use crate::source::{Item, load, read_text};
use std::path::Path;

/// xorshift64*: enough randomness for input generation, no crate needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces that open, close or break something in SQL, TOML or a plan file.
const PIECES: &[&str] = &[
    "'",
    "''",
    "\"",
    "\"\"",
    "$$",
    "$a$",
    "$ddl$",
    "$accrete$",
    "--",
    "/*",
    "*/",
    ";",
    "\\",
    "\\i x.sql",
    "\\gexec",
    "\\.",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "=",
    "\n",
    "\r",
    "\r\n",
    "\u{2028}",
    "\u{85}",
    "\t",
    " ",
    "E'",
    "\\'",
    "CREATE TABLE ",
    "t",
    "a.b",
    "int",
    "DROP TABLE x",
    "COPY t FROM stdin",
    "BEGIN",
    "END",
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END",
    "[table.app.t.columns]\n",
    "[schema.app]\n",
    "a = { type = \"",
    "default = \"",
    "\" }\n",
    "'''",
    "sql = '''",
    "[[",
    "]]",
    "é",
    "\u{0}",
    "\u{1b}[2J",
    "-- accrete:step",
    "-- step 1 · add table x\n",
];

fn soup(rng: &mut Rng, max_pieces: usize) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(max_pieces) + 1 {
        match rng.below(10) {
            0 => text.push(char::from_u32(rng.below(0x3000) as u32).unwrap_or('x')),
            1 => text.push_str(&"x".repeat(rng.below(100))),
            _ => text.push_str(PIECES[rng.below(PIECES.len())]),
        }
    }
    text
}

fn read_both(text: &str) {
    let root = Path::new("schema");
    for file in ["f.sql", "f.toml"] {
        let path = Path::new(file);
        let (items, errors) = if file.ends_with(".toml") {
            crate::source::toml::read_text(root, path, text)
        } else {
            read_text(root, path, text)
        };
        let statements: Vec<_> = items
            .into_iter()
            .filter_map(|i| match i {
                Item::Statement(s) => Some(s),
                _ => None,
            })
            .collect();
        let _ = crate::source::identifiers::check(root, &statements);
        for e in errors {
            assert!(e.origin.is_some() || e.code == "read-error", "{e}: no place in the file");
        }
    }
    let _ = crate::planfile::lex(text);
    let _ = crate::apply::parse(text);
}

#[test]
fn generated_sql_and_toml_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let text = soup(&mut rng, 40);
        read_both(&text);
    }
    // A few large ones: long lines, deep brackets, many statements.
    for n in [1usize, 2, 3] {
        let mut rng = Rng(n as u64 * 7919);
        read_both(&soup(&mut rng, 20_000));
        read_both(&"(".repeat(20_000 * n));
        read_both(&format!("CREATE TABLE t ({});", "a int,".repeat(5_000 * n)));
        read_both(&format!("-- {}\n", "x".repeat(200_000 * n)));
        read_both(&format!("[table.app.t.columns]\n{}", "c = { type = \"int\" }\n".repeat(500 * n)));
    }
}

#[test]
fn random_bytes_and_invalid_utf8_files_get_located_errors() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let dir = tempfile::tempdir().unwrap();
    for i in 0..200 {
        let len = rng.below(2000);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Valid text with one bad byte somewhere, and pure noise.
        if i % 2 == 0 {
            bytes = soup(&mut rng, 30).into_bytes();
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, 0xff);
        }
        let ext = if i % 3 == 0 { "toml" } else { "sql" };
        let path = dir.path().join(format!("f.{ext}"));
        std::fs::write(&path, &bytes).unwrap();
        let result = load(dir.path());
        if std::str::from_utf8(&bytes).is_err() {
            let e = result.expect_err("invalid UTF-8 is an error");
            let d = e.0.iter().find(|d| d.code == "not-utf8").expect("a not-utf8 diagnostic");
            assert!(d.origin.is_some(), "{d}");
        } else if let Ok(text) = std::str::from_utf8(&bytes) {
            read_both(text);
        }
        std::fs::remove_file(&path).unwrap();
    }
}
