//! SQL written as a TOML value (a column's `type`, a `default`, a check's `expression`, an index's `where`)
//! is read as what its key says it is before it is pasted into a statement: a type must parse as exactly
//! one data type, an expression as exactly one expression, with nothing left over.
//!
//! Invariant: a value that passes cannot leave its place in the statement accrete renders around it: it
//! holds no `;`, no comment, no backslash, no `,` or closing bracket outside brackets it opened itself, and
//! sqlparser reads it whole as one type or one expression. (The statement rendered around it is then
//! classified like a statement of a SQL file: see `Out::statement`.)

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// What a value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Type,
    Expression,
    /// A clause of its own shape (an index key `lower(email) DESC`, a partition bound, storage parameters):
    /// only the lexical rules; a `,` may separate its parts.
    Clause,
}

impl Want {
    fn word(self) -> &'static str {
        match self {
            Want::Type => "a type",
            Want::Expression => "an expression",
            Want::Clause => "this clause",
        }
    }
}

/// Why a value is not what it should be, at a 1-based line and column of the value's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

fn refused(line: u64, col: u64, message: impl Into<String>) -> Refused {
    Refused { line: line.max(1) as u32, col: col.max(1) as u32, message: message.into() }
}

/// Checks that `value` is exactly one `want`.
pub(crate) fn check(value: &str, want: Want) -> Result<(), Refused> {
    let dialect = PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, value)
        .with_unescape(false)
        .tokenize_with_location()
        .map_err(|e| refused(e.location.line, e.location.column, format!("cannot read it: {}", e.message)))?;
    let mut depth: Vec<&Token> = Vec::new();
    let mut significant = 0usize;
    for t in &tokens {
        let at = t.span.start;
        let bad =
            |what: &str| Err(refused(at.line, at.column, format!("{what} cannot occur in {}", want.word())));
        match &t.token {
            Token::SemiColon => return bad("`;`"),
            Token::Backslash => return bad("a backslash outside quotes"),
            Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_)) => {
                return bad("a comment");
            }
            Token::Whitespace(_) => continue,
            Token::LParen | Token::LBracket | Token::LBrace => depth.push(&t.token),
            Token::RParen | Token::RBracket | Token::RBrace => {
                let opened = depth.pop();
                let pair = matches!(
                    (opened, &t.token),
                    (Some(Token::LParen), Token::RParen)
                        | (Some(Token::LBracket), Token::RBracket)
                        | (Some(Token::LBrace), Token::RBrace)
                );
                if !pair {
                    return bad(&format!("`{}` that closes nothing it opened", t.token));
                }
            }
            Token::Comma if depth.is_empty() && want != Want::Clause => {
                return bad("a `,` outside parentheses");
            }
            _ => {}
        }
        significant += 1;
    }
    if significant == 0 {
        return Err(refused(1, 1, format!("it is empty; write {}", want.word())));
    }
    if !depth.is_empty() {
        let end = tokens.last().map_or((1, 1), |t| (t.span.end.line, t.span.end.column));
        return Err(refused(end.0, end.1, "a bracket it opens is not closed"));
    }
    let end = tokens.last().map_or((1, 1), |t| (t.span.end.line, t.span.end.column));
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    let parsed = match want {
        Want::Type => parser.parse_data_type().map(|_| ()),
        Want::Expression => parser.parse_expr().map(|_| ()),
        Want::Clause => return Ok(()),
    };
    if let Err(e) = parsed {
        let (message, mut line, mut col) = split_location(&e.to_string());
        if message.ends_with("found: EOF") {
            (line, col) = end;
        }
        return Err(refused(line, col, format!("it does not read as {}: {message}", want.word())));
    }
    let next = parser.peek_token();
    if next.token != Token::EOF {
        let at = next.span.start;
        let message = format!("{} ends before `{}`, and something follows it", want.word(), next.token);
        return Err(refused(at.line, at.column, message));
    }
    Ok(())
}

/// `message at Line: L, Column: C` as its parts (1, 1 when it names no place).
fn split_location(message: &str) -> (String, u64, u64) {
    let message = message.strip_prefix("sql parser error: ").unwrap_or(message);
    if let Some((text, place)) = message.rsplit_once(" at Line: ")
        && let Some((line, col)) = place.split_once(", Column: ")
        && let (Ok(line), Ok(col)) = (line.trim().parse(), col.trim().parse())
    {
        return (text.to_string(), line, col);
    }
    (message.to_string(), 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_postgres_writes_are_types() {
        for t in [
            "text",
            "integer",
            "bigint",
            "serial",
            "bigserial",
            "numeric(12,2)",
            "varchar(255)",
            "character varying(100)",
            "text[]",
            "integer[][]",
            "timestamptz",
            "timestamp with time zone",
            "timestamp(3) without time zone",
            "time with time zone",
            "double precision",
            "tstzrange",
            "app.mood",
            "\"App\".\"Mood\"",
            "interval",
            "jsonb",
            "uuid",
            "bit varying(8)",
            "bytea",
            "inet",
            "tsvector",
            "public.geometry(Point, 4326)",
            "char(2)",
            "boolean",
            "smallint",
            "real",
            "money",
            "xml",
            "oid",
            "regclass",
            "interval year to month",
            "interval second(3)",
            "\"char\"",
            "pg_catalog.int4",
            "timestamp(6) with time zone[]",
            "double precision[]",
            "vector(1536)",
            "bit(8)",
            "character(3)",
            "time(3)",
            "name",
            "citext",
            "smallserial",
            "int4range",
            "numeric[]",
            "varchar[]",
            "integer ARRAY",
            "integer ARRAY[4]",
        ] {
            assert_eq!(check(t, Want::Type), Ok(()), "{t}");
        }
    }

    #[test]
    fn expressions_are_expressions() {
        for e in [
            "0",
            "'open'",
            "'{}'",
            "now()",
            "CURRENT_TIMESTAMP",
            "nextval('shop.order_number')",
            "nextval('s'::regclass)",
            "gen_random_uuid()",
            "amount >= 0",
            "stage IN ('lead', 'qualified')",
            "lower(email)",
            "'{}'::text[]",
            "ARRAY[]::integer[]",
            "x IS NOT NULL AND y IS DISTINCT FROM 2",
            "email ~ '^[^@]+@[^@]+$'",
            "price * 2",
            "(a > 0)",
            "interval '1 day'",
            "created_at > '2024-01-01'",
            "true",
            "name COLLATE \"C\"",
            "CASE WHEN a THEN 1 ELSE 2 END",
            "'a'::text || 'b'",
            "tags @> ARRAY['x']",
            "doc ->> 'k' IS NOT NULL",
            "name ~* '^x'",
            "now() AT TIME ZONE 'UTC'",
            "EXTRACT(year FROM d) > 2000",
            "x BETWEEN 1 AND 2",
            "coalesce(a, b)",
            "'infinity'::timestamptz",
            "nextval('\"Weird\"'::regclass)",
            "E'\\n'",
            "CURRENT_USER",
            "a = ANY ('{1,2}'::integer[])",
            "a <> ALL (ARRAY['x'])",
            "date_trunc('day', t)",
            "-1",
            "NOT a",
            "a IS TRUE",
            "a % 2 = 0",
            "length(btrim(name)) > 0",
            "ROW(1, 2)",
            "a SIMILAR TO 'x%'",
            "(p).x > 0",
            "array_length(a, 1) > 0",
            "'{}'::jsonb",
            "a IS NOT DISTINCT FROM b",
            "CURRENT_DATE + 1",
            "uuid_generate_v4()",
            "t::date",
            "a && b",
            "x LIKE 'a%' ESCAPE '!'",
            "b'101'",
            "1e10",
            "$1 > 0",
        ] {
            assert_eq!(check(e, Want::Expression), Ok(()), "{e}");
        }
    }

    #[test]
    fn what_would_leave_its_place_is_refused() {
        let refuse = |v: &str, w: Want| check(v, w).expect_err(v);
        assert_eq!(refuse("int); DROP TABLE canary; --", Want::Type).col, 4);
        assert!(refuse("int; DROP TABLE canary", Want::Type).message.contains("`;`"));
        assert!(refuse("int -- x", Want::Type).message.contains("comment"));
        assert!(refuse("int /* x */", Want::Type).message.contains("comment"));
        assert!(refuse("1, d int", Want::Expression).message.contains("`,`"));
        assert!(refuse("1) , (2", Want::Expression).message.contains("closes nothing"));
        assert!(refuse("now() +", Want::Expression).message.contains("does not read as an expression"));
        assert!(refuse("int DEFAULT 1", Want::Type).message.contains("something follows"));
        assert!(refuse("1 \\gexec", Want::Expression).message.contains("backslash"));
        assert!(refuse("'unterminated", Want::Expression).message.contains("cannot read"));
        assert!(refuse("  ", Want::Type).message.contains("empty"));
        assert!(refuse("(1", Want::Expression).message.contains("not closed"));
        assert!(refuse("$$x$$; DROP TABLE t", Want::Expression).message.contains("`;`"));
    }
}
