//! The pinned session settings.
//!
//! Both inspect sessions (live and scratch) and the top of every plan file use exactly these, so that
//! PostgreSQL prints expressions, defaults and timestamps alike on both sides: with an empty `search_path`,
//! `pg_get_expr` and `pg_get_viewdef` qualify every name; without pinning, a role's `search_path` or time
//! zone makes drift perpetual.

/// `(name, value)` pairs, in the order they are set.
pub const SETTINGS: &[(&str, &str)] = &[
    ("search_path", "''"),
    ("TimeZone", "'UTC'"),
    ("DateStyle", "'ISO, YMD'"),
    ("IntervalStyle", "'postgres'"),
    ("extra_float_digits", "3"),
    ("standard_conforming_strings", "on"),
    ("check_function_bodies", "off"),
];

/// The settings as `SET` statements, one per line, each ending in `;`.
pub fn set_statements() -> String {
    SETTINGS.iter().map(|(name, value)| format!("SET {name} = {value};\n")).collect()
}

/// The settings as one string of statements, for `batch_execute` on a fresh connection.
pub fn set_batch() -> String {
    set_statements()
}

#[cfg(test)]
mod tests {
    #[test]
    fn settings_render_as_set_statements() {
        let sql = super::set_statements();
        assert!(sql.starts_with("SET search_path = '';\n"));
        assert_eq!(sql.lines().count(), super::SETTINGS.len());
    }
}
