//! Names written inside TOML strings (`references = "app.orgs"`, `owned_by = "app.t.id"`): parts separated
//! by dots, taken exactly as written (no case folding, unlike SQL). A part that holds a dot or a double
//! quote is written in double quotes, with `""` for a quote inside: `'"odd.name".t'`.
//!
//! Names that are TOML keys (`[table.app.users]`) need none of this: TOML's own quoting applies there.

/// The parts of a dotted name; an error message when it is malformed.
pub(crate) fn split(text: &str) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    Some('"') => break,
                    Some(c) => part.push(c),
                    None => return Err(format!("`{text}` has an unclosed double quote")),
                }
            }
            if !matches!(chars.peek(), None | Some('.')) {
                return Err(format!("`{text}`: a quoted part must end at a dot or the end"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' {
                    break;
                }
                if c == '"' {
                    return Err(format!("`{text}`: a double quote may only open a part"));
                }
                part.push(c);
                chars.next();
            }
        }
        if part.is_empty() {
            return Err(format!("`{text}` has an empty name part"));
        }
        parts.push(part);
        match chars.next() {
            Some('.') => continue,
            None => return Ok(parts),
            Some(_) => unreachable!("parts end at a dot or the end"),
        }
    }
}

/// One part as written in a dotted name: in double quotes when it holds a dot or a quote, or is empty.
pub(crate) fn part(name: &str) -> String {
    if name.is_empty() || name.contains(['.', '"']) {
        format!("\"{}\"", name.replace('"', "\"\""))
    } else {
        name.to_string()
    }
}

/// A dotted name from its parts.
pub(crate) fn dotted(parts: &[&str]) -> String {
    parts.iter().map(|p| part(p)).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_at_dots_outside_quotes() {
        assert_eq!(split("app.users").unwrap(), ["app", "users"]);
        assert_eq!(split("Users").unwrap(), ["Users"]);
        assert_eq!(split("\"a.b\".\"say \"\"hi\"\"\"").unwrap(), ["a.b", "say \"hi\""]);
        assert!(split("app..t").is_err());
        assert!(split("app.\"t").is_err());
        assert!(split("a\"b").is_err());
    }

    #[test]
    fn dotted_names_round_trip() {
        for parts in [vec!["app", "users"], vec!["a.b", "x\"y"], vec!["Mixed Case", "t"]] {
            assert_eq!(split(&dotted(&parts)).unwrap(), parts);
        }
    }
}
