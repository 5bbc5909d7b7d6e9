//! The statements of the schema files that need more than the loader role may have, and how accrete runs
//! them itself on its privileged connection (see docs/security.md).
//!
//! Schema files run as a role that owns the scratch database and is not a superuser ([`super::sandbox`]).
//! A few declarations cannot be made by such a role: an extension that is not trusted, a comment on an
//! extension the superuser made, and event triggers. accrete recognizes those statements by their tokens,
//! in their plain form only, and renders each again from the parsed parts (names quoted, texts as
//! literals): nothing of the file's text reaches the privileged connection but names and string values.
//! A statement in any other form is run as the loader, which PostgreSQL refuses with a located error.
//!
//! Event triggers are created and disabled in one transaction, so that none ever fires in the scratch
//! database; the firing state the files declare (`ENABLE`, `DISABLE`, `ENABLE REPLICA`, `ENABLE ALWAYS`)
//! is recorded and given to the desired catalog after inspection.

use crate::catalog::{FiringState, quote_ident, quote_literal};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// A statement accrete runs on the privileged connection, rendered from its parsed parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Privileged {
    /// `CREATE EXTENSION`: `sql` is the rendered statement.
    CreateExtension { sql: String },
    /// `COMMENT ON EXTENSION` or `COMMENT ON EVENT TRIGGER`.
    Comment { sql: String },
    /// `CREATE EVENT TRIGGER`, created disabled.
    CreateEventTrigger { name: String, sql: String },
    /// `ALTER EVENT TRIGGER name ENABLE ...|DISABLE`: recorded; the trigger stays disabled.
    AlterEventTrigger { name: String, state: FiringState },
    /// `CREATE AGGREGATE` with an `internal` state: `sql` is the statement as written, which the admin runs
    /// with the extended query protocol (one statement, never more), then keeps only when its support
    /// functions are those of a built-in aggregate ([`AGGREGATE_CHECK`]).
    CreateInternalAggregate { sql: String },
    /// `CREATE [OR REPLACE] FUNCTION ... LEAKPROOF` in `LANGUAGE sql` or `plpgsql`: only a superuser may mark
    /// a function leakproof. `sql` is the statement as written, run like an internal aggregate (one
    /// statement, with `check_function_bodies` off, so nothing of it runs), then the function is given to
    /// the loader role in the same transaction ([`GIVE_FUNCTIONS`]): it never runs as the superuser.
    CreateLeakproofFunction { sql: String },
}

/// After a leakproof function is made: every function the superuser owns that the files made (not built in,
/// not an extension's) goes to the loader, so that a `SECURITY DEFINER` one runs as the loader.
pub(super) const GIVE_FUNCTIONS: &str = "SET search_path = pg_catalog, pg_temp;\n\
    DO $accrete$ DECLARE f regprocedure; BEGIN \
    FOR f IN SELECT p.oid::pg_catalog.regprocedure FROM pg_catalog.pg_proc p \
      WHERE p.oid >= 16384 AND p.proowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) \
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
          AND d.objid = p.oid AND d.deptype = 'e') \
    LOOP EXECUTE pg_catalog.format('ALTER ROUTINE %s OWNER TO %I', f, LOADER); END LOOP; END $accrete$;";

/// After a `CREATE AGGREGATE` with an `internal` state (in its transaction): PostgreSQL lets only a
/// superuser make one, because support functions paired wrongly can crash the server or read its memory.
/// accrete keeps it only when the functions and state types are those of a built-in aggregate, and gives
/// it to the loader role (so that the files can comment on it and grant on it, but not redefine it: that
/// needs a superuser again).
pub(super) const AGGREGATE_CHECK: &str = "SET search_path = pg_catalog, pg_temp;\n\
    DO $accrete$ DECLARE a regprocedure; BEGIN \
    IF EXISTS (SELECT FROM pg_catalog.pg_aggregate x WHERE x.aggfnoid >= 16384 \
        AND 'internal'::pg_catalog.regtype IN (x.aggtranstype, x.aggmtranstype) \
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
          AND d.objid = x.aggfnoid AND d.deptype = 'e') \
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_aggregate b WHERE b.aggfnoid < 16384 AND b.aggkind = x.aggkind \
          AND b.aggtransfn = x.aggtransfn AND b.aggfinalfn = x.aggfinalfn AND b.aggcombinefn = x.aggcombinefn \
          AND b.aggserialfn = x.aggserialfn AND b.aggdeserialfn = x.aggdeserialfn \
          AND b.aggmtransfn = x.aggmtransfn AND b.aggminvtransfn = x.aggminvtransfn \
          AND b.aggmfinalfn = x.aggmfinalfn AND b.aggfinalextra = x.aggfinalextra \
          AND b.aggmfinalextra = x.aggmfinalextra AND b.aggtranstype = x.aggtranstype \
          AND b.aggmtranstype = x.aggmtranstype)) THEN \
      RAISE EXCEPTION 'accrete makes an aggregate with an internal state only with the support functions of a built-in aggregate' \
        USING ERRCODE = '42501'; \
    END IF; \
    FOR a IN SELECT x.aggfnoid::pg_catalog.regprocedure FROM pg_catalog.pg_aggregate x \
        JOIN pg_catalog.pg_proc p ON p.oid = x.aggfnoid \
      WHERE x.aggfnoid >= 16384 AND p.proowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) \
        AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
          AND d.objid = x.aggfnoid AND d.deptype = 'e') \
    LOOP EXECUTE pg_catalog.format('ALTER AGGREGATE %s OWNER TO %I', a, LOADER); END LOOP; END $accrete$;";

impl Privileged {
    /// What the privileged connection runs (one simple query, one implicit transaction). `loader`: the
    /// loader role, which may use the wrappers an extension made, once inert ([`REVOKE_UNTRUSTED`]).
    pub(super) fn script(&self, loader: &str) -> String {
        match self {
            // The revocation runs with pg_catalog alone on the path: an operator the files made in their
            // own schemas cannot stand in for a built-in one in it.
            Privileged::CreateExtension { sql } => format!(
                "{sql};\nSET search_path = pg_catalog, pg_temp;\n{}",
                REVOKE_UNTRUSTED.replace("LOADER", &quote_literal(loader))
            ),
            Privileged::Comment { sql } => format!("{sql};"),
            Privileged::CreateEventTrigger { name, sql } => {
                format!("{sql};\nALTER EVENT TRIGGER {} DISABLE;", quote_ident(name))
            }
            Privileged::AlterEventTrigger { name, .. } => {
                format!("ALTER EVENT TRIGGER {} DISABLE;", quote_ident(name))
            }
            Privileged::CreateInternalAggregate { .. } => {
                AGGREGATE_CHECK.replace("LOADER", &quote_literal(loader))
            }
            Privileged::CreateLeakproofFunction { .. } => {
                GIVE_FUNCTIONS.replace("LOADER", &quote_literal(loader))
            }
        }
    }
}

/// After an extension is created: every function of an untrusted extension loses PUBLIC's `EXECUTE`, so
/// that nothing the files run can call one (`dblink_connect`, a file reader); and every foreign-data
/// wrapper an extension made (`postgres_fdw`, `file_fdw`) is made inert, with no handler and no validator,
/// and the loader may use it. A server and a foreign table on an inert wrapper keep their options as text:
/// nothing reads a file or opens a connection for them, since no code of the wrapper is left to run (a
/// scan, `ANALYZE` or `IMPORT FOREIGN SCHEMA` fails for want of a handler), and only a superuser could give
/// it one back. Extension members are not compared, so this changes nothing in the desired catalog: the
/// wrapper is still the extension's, and a server names it as on the target.
const REVOKE_UNTRUSTED: &str = "DO $accrete$ DECLARE f regprocedure; w name; BEGIN \
    FOR f IN SELECT p.oid::pg_catalog.regprocedure FROM pg_catalog.pg_depend d \
      JOIN pg_catalog.pg_proc p ON d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid \
      JOIN pg_catalog.pg_extension e ON d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass \
        AND d.refobjid = e.oid AND d.deptype = 'e' \
      WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_available_extension_versions v \
        WHERE v.name = e.extname AND v.version = e.extversion AND v.trusted) \
    LOOP EXECUTE pg_catalog.format('REVOKE EXECUTE ON ROUTINE %s FROM PUBLIC', f); END LOOP; \
    FOR w IN SELECT x.fdwname FROM pg_catalog.pg_foreign_data_wrapper x \
      WHERE (x.fdwhandler <> 0 OR x.fdwvalidator <> 0) AND EXISTS (SELECT FROM pg_catalog.pg_depend d \
        WHERE d.classid = 'pg_catalog.pg_foreign_data_wrapper'::pg_catalog.regclass AND d.objid = x.oid \
          AND d.deptype = 'e') \
    LOOP \
      EXECUTE pg_catalog.format('ALTER FOREIGN DATA WRAPPER %I NO HANDLER NO VALIDATOR', w); \
      EXECUTE pg_catalog.format('GRANT USAGE ON FOREIGN DATA WRAPPER %I TO %I', w, LOADER); \
    END LOOP; END $accrete$;";

/// The statement `sql`, when it is one accrete runs itself.
pub(super) fn recognize(sql: &str) -> Option<Privileged> {
    let dialect = PostgreSqlDialect {};
    let tokens: Vec<Token> = Tokenizer::new(&dialect, sql)
        .tokenize()
        .ok()?
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut r = Reader { t: &tokens, i: 0 };
    let parsed = if r.keywords(&["CREATE", "EXTENSION"]) {
        create_extension(&mut r)
    } else if r.keywords(&["CREATE", "EVENT", "TRIGGER"]) {
        create_event_trigger(&mut r)
    } else if r.keywords(&["ALTER", "EVENT", "TRIGGER"]) {
        alter_event_trigger(&mut r)
    } else if r.keywords(&["COMMENT", "ON"]) {
        comment(&mut r)
    } else if r.keywords(&["CREATE", "AGGREGATE"]) || r.keywords(&["CREATE", "OR", "REPLACE", "AGGREGATE"]) {
        return internal_state(&tokens).then(|| Privileged::CreateInternalAggregate { sql: sql.to_string() });
    } else if r.keywords(&["CREATE", "FUNCTION"]) || r.keywords(&["CREATE", "OR", "REPLACE", "FUNCTION"]) {
        return leakproof_in_a_trusted_language(&tokens)
            .then(|| Privileged::CreateLeakproofFunction { sql: sql.to_string() });
    } else {
        None
    }?;
    r.done().then_some(parsed)
}

/// Whether `STYPE` or `MSTYPE` is `internal` (`= internal`, `= "internal"`, `= pg_catalog.internal`).
fn internal_state(t: &[Token]) -> bool {
    let word =
        |i: usize, w: &str| matches!(t.get(i), Some(Token::Word(x)) if x.value.eq_ignore_ascii_case(w));
    (0..t.len()).any(|i| {
        (word(i, "stype") || word(i, "mstype"))
            && t.get(i + 1) == Some(&Token::Eq)
            && (word(i + 2, "internal")
                || (word(i + 2, "pg_catalog")
                    && t.get(i + 3) == Some(&Token::Period)
                    && word(i + 4, "internal")))
    })
}

/// Whether a `CREATE FUNCTION`'s tokens (a body is one token) say `LEAKPROOF` and `LANGUAGE sql` or
/// `plpgsql`, and nothing that runs or loads code when the function is made (`LANGUAGE c`, an `AS 'file'`
/// with a link symbol: two strings after `AS`).
fn leakproof_in_a_trusted_language(t: &[Token]) -> bool {
    let word =
        |i: usize, w: &str| matches!(t.get(i), Some(Token::Word(x)) if x.value.eq_ignore_ascii_case(w));
    let leakproof = (0..t.len()).any(|i| word(i, "leakproof") && !word(i.wrapping_sub(1), "not"));
    let languages: Vec<usize> = (0..t.len()).filter(|&i| word(i, "language")).collect();
    let trusted =
        !languages.is_empty() && languages.iter().all(|&i| word(i + 1, "sql") || word(i + 1, "plpgsql"));
    let link_symbol = (0..t.len()).any(|i| word(i, "as") && t.get(i + 2) == Some(&Token::Comma));
    leakproof && trusted && !link_symbol
}

fn create_extension(r: &mut Reader) -> Option<Privileged> {
    let mut sql = String::from("CREATE EXTENSION ");
    if r.keywords(&["IF", "NOT", "EXISTS"]) {
        sql.push_str("IF NOT EXISTS ");
    }
    sql.push_str(&quote_ident(&r.ident()?));
    r.keyword("WITH");
    while !r.done() {
        if r.keyword("SCHEMA") {
            sql.push_str(&format!(" SCHEMA {}", quote_ident(&r.ident()?)));
        } else if r.keyword("VERSION") {
            let version = r.string().or_else(|| r.ident())?;
            sql.push_str(&format!(" VERSION {}", quote_literal(&version)));
        } else if r.keyword("CASCADE") {
            sql.push_str(" CASCADE");
        } else {
            return None;
        }
    }
    Some(Privileged::CreateExtension { sql })
}

fn create_event_trigger(r: &mut Reader) -> Option<Privileged> {
    let name = r.ident()?;
    if !r.keyword("ON") {
        return None;
    }
    let event = r.ident()?;
    let mut sql = format!("CREATE EVENT TRIGGER {} ON {}", quote_ident(&name), quote_ident(&event));
    if r.keyword("WHEN") {
        let mut filters = Vec::new();
        loop {
            let variable = r.ident()?;
            if !r.keyword("IN") || !r.token(&Token::LParen) {
                return None;
            }
            let mut values = vec![quote_literal(&r.string()?)];
            while r.token(&Token::Comma) {
                values.push(quote_literal(&r.string()?));
            }
            if !r.token(&Token::RParen) {
                return None;
            }
            filters.push(format!("{} IN ({})", quote_ident(&variable), values.join(", ")));
            if !r.keyword("AND") {
                break;
            }
        }
        sql.push_str(&format!(" WHEN {}", filters.join(" AND ")));
    }
    if !r.keyword("EXECUTE") || !(r.keyword("FUNCTION") || r.keyword("PROCEDURE")) {
        return None;
    }
    let mut function = quote_ident(&r.ident()?);
    if r.token(&Token::Period) {
        function = format!("{function}.{}", quote_ident(&r.ident()?));
    }
    if !r.token(&Token::LParen) || !r.token(&Token::RParen) {
        return None;
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {function}()"));
    Some(Privileged::CreateEventTrigger { name, sql })
}

fn alter_event_trigger(r: &mut Reader) -> Option<Privileged> {
    let name = r.ident()?;
    let state = if r.keyword("DISABLE") {
        FiringState::Disabled
    } else if r.keyword("ENABLE") {
        if r.keyword("REPLICA") {
            FiringState::Replica
        } else if r.keyword("ALWAYS") {
            FiringState::Always
        } else {
            FiringState::Enabled
        }
    } else {
        return None;
    };
    Some(Privileged::AlterEventTrigger { name, state })
}

fn comment(r: &mut Reader) -> Option<Privileged> {
    let kind = if r.keyword("EXTENSION") {
        "EXTENSION"
    } else if r.keywords(&["EVENT", "TRIGGER"]) {
        "EVENT TRIGGER"
    } else {
        return None;
    };
    let name = r.ident()?;
    if !r.keyword("IS") {
        return None;
    }
    let text = if r.keyword("NULL") { "NULL".to_string() } else { quote_literal(&r.string()?) };
    Some(Privileged::Comment { sql: format!("COMMENT ON {kind} {} IS {text}", quote_ident(&name)) })
}

struct Reader<'a> {
    t: &'a [Token],
    i: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.i >= self.t.len() || (self.i + 1 == self.t.len() && self.t[self.i] == Token::SemiColon)
    }

    fn keyword(&mut self, keyword: &str) -> bool {
        match self.t.get(self.i) {
            Some(Token::Word(w)) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(keyword) => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }

    /// All of `keywords` in a row, or nothing consumed.
    fn keywords(&mut self, keywords: &[&str]) -> bool {
        let start = self.i;
        if keywords.iter().all(|k| self.keyword(k)) {
            return true;
        }
        self.i = start;
        false
    }

    fn token(&mut self, token: &Token) -> bool {
        if self.t.get(self.i) == Some(token) {
            self.i += 1;
            return true;
        }
        false
    }

    /// An identifier as PostgreSQL reads it: unquoted ones folded to lower case.
    fn ident(&mut self) -> Option<String> {
        let Token::Word(w) = self.t.get(self.i)? else { return None };
        let name = match w.quote_style {
            None => w.value.to_lowercase(),
            Some('"') => w.value.clone(),
            Some(_) => return None,
        };
        self.i += 1;
        Some(name)
    }

    fn string(&mut self) -> Option<String> {
        let value = match self.t.get(self.i)? {
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => s.clone(),
            Token::DollarQuotedString(d) => d.value.clone(),
            _ => return None,
        };
        self.i += 1;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sql(statement: &str) -> String {
        match recognize(statement).unwrap_or_else(|| panic!("{statement} is recognized")) {
            Privileged::CreateExtension { sql }
            | Privileged::Comment { sql }
            | Privileged::CreateEventTrigger { sql, .. } => sql,
            Privileged::AlterEventTrigger { name, state } => format!("{name} {}", state.sql()),
            Privileged::CreateInternalAggregate { sql } | Privileged::CreateLeakproofFunction { sql } => sql,
        }
    }

    #[test]
    fn renders_the_plain_forms_from_their_parts() {
        assert_eq!(
            sql("create extension if not exists \"uuid-ossp\" with schema Ext version '1.1' cascade"),
            "CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\" SCHEMA ext VERSION '1.1' CASCADE"
        );
        assert_eq!(
            sql("COMMENT ON EXTENSION pgcrypto IS 'it''s; COPY x TO PROGRAM ''id'''"),
            "COMMENT ON EXTENSION pgcrypto IS 'it''s; COPY x TO PROGRAM ''id'''"
        );
        assert_eq!(sql("COMMENT ON EVENT TRIGGER e IS NULL"), "COMMENT ON EVENT TRIGGER e IS NULL");
        assert_eq!(
            sql("CREATE EVENT TRIGGER log ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') \
                 EXECUTE PROCEDURE app.log_ddl()"),
            "CREATE EVENT TRIGGER log ON ddl_command_end WHEN tag IN ('CREATE TABLE', 'ALTER TABLE') \
             EXECUTE FUNCTION app.log_ddl()"
        );
        assert_eq!(sql("ALTER EVENT TRIGGER \"Log\" ENABLE ALWAYS"), "Log ENABLE ALWAYS");
        assert_eq!(sql("alter event trigger log disable"), "log DISABLE");
        let aggregate =
            "CREATE AGGREGATE p(float8 ORDER BY int) (SFUNC = ordered_set_transition, STYPE = internal)";
        assert_eq!(sql(aggregate), aggregate, "run as written, one statement by the extended protocol");
        let leakproof = "CREATE FUNCTION f(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE LEAKPROOF \
                         AS $$ SELECT a = b $$";
        assert_eq!(sql(leakproof), leakproof);
    }

    #[test]
    fn anything_else_is_left_to_the_loader() {
        for statement in [
            "CREATE EXTENSION x; COPY (SELECT 1) TO PROGRAM 'id'",
            "CREATE EXTENSION x SCHEMA s COPY",
            "COMMENT ON EXTENSION x IS 'a' || pg_read_file('/etc/passwd')",
            "CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f(pg_read_file('/etc/passwd'))",
            "ALTER EVENT TRIGGER e OWNER TO postgres",
            "COMMENT ON TABLE t IS 'x'",
            "CREATE TABLE t (a int)",
            "CREATE AGGREGATE a(int) (SFUNC = f, STYPE = bigint)",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql NOT LEAKPROOF AS 'SELECT 1'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE c LEAKPROOF AS '/tmp/x.so', 'f'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE internal LEAKPROOF AS 'int4in'",
            "CREATE FUNCTION f() RETURNS int LEAKPROOF AS '/tmp/x.so', 'f' LANGUAGE sql",
            "CREATE FUNCTION f() RETURNS int LEAKPROOF LANGUAGE sql AS $$SELECT 1$$ LANGUAGE c",
        ] {
            assert_eq!(recognize(statement), None, "{statement}");
        }
    }
}
