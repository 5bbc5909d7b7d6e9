//! A view's query as `pg_get_viewdef` prints it, made a fixed point of loading and printing again: the text
//! a plan creates a view with and the text `pull` writes.
//!
//! Where output column names do not matter (the right side of `UNION`/`INTERSECT`/`EXCEPT`, a subquery
//! in an expression), PostgreSQL prints a column that is not a plain column reference without `AS` when
//! its name is `?column?`, and with `AS name` otherwise. Printing can add a cast that then names the
//! column when the text is loaded again: `SELECT ... UNION ALL SELECT ..., NULL` prints `NULL::integer`,
//! which loads as a column named `int4` and prints as `NULL::integer AS int4`: the pulled view differs
//! from the live one. Writing `AS "?column?"` on those columns keeps their name, so the text loads back
//! into the same query and prints the same.
//!
//! Invariant: only select-list items without an alias that are not (qualified) column references get
//! the alias; where names matter PostgreSQL prints an alias on every such item, so only items in the
//! positions above are touched. Text the tokenizer cannot read is returned as it is.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, Tokenizer};

/// The alias PostgreSQL gives a column it cannot name.
const UNNAMED: &str = " AS \"?column?\"";

/// Keywords that end a select list at parenthesis depth 0.
const CLAUSES: &[Keyword] = &[
    Keyword::FROM,
    Keyword::INTO,
    Keyword::WHERE,
    Keyword::GROUP,
    Keyword::HAVING,
    Keyword::WINDOW,
    Keyword::UNION,
    Keyword::INTERSECT,
    Keyword::EXCEPT,
    Keyword::ORDER,
    Keyword::LIMIT,
    Keyword::OFFSET,
    Keyword::FETCH,
    Keyword::FOR,
];

/// Words that look like a column name but are values (a column of that name is printed quoted).
const VALUE_WORDS: &[&str] = &[
    "true",
    "false",
    "null",
    "current_date",
    "current_time",
    "current_timestamp",
    "localtime",
    "localtimestamp",
    "current_user",
    "current_role",
    "current_catalog",
    "current_schema",
    "session_user",
    "user",
];

/// `query` with `AS "?column?"` after every unnamed, unaliased select-list item (see the module doc).
pub fn pin_unnamed_columns(query: &str) -> String {
    let Ok(spanned) =
        Tokenizer::new(&PostgreSqlDialect {}, query).with_unescape(false).tokenize_with_location()
    else {
        return query.to_string();
    };
    let offsets = Offsets::new(query);
    let tokens: Vec<(Token, usize)> = spanned
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .map(|t| {
            let end = offsets.byte(t.span.end);
            (t.token, end)
        })
        .collect();
    let mut inserts = Vec::new();
    for (i, (token, _)) in tokens.iter().enumerate() {
        if is_keyword(token, Keyword::SELECT) {
            inserts.extend(unnamed_items(&tokens, i + 1));
        }
    }
    let mut out = query.to_string();
    inserts.sort_unstable();
    for at in inserts.into_iter().rev() {
        out.insert_str(at, UNNAMED);
    }
    out
}

/// End offsets of the items of the select list starting at `tokens[start]` that need the alias.
fn unnamed_items(tokens: &[(Token, usize)], mut at: usize) -> Vec<usize> {
    if tokens.get(at).is_some_and(|(t, _)| is_keyword(t, Keyword::ALL)) {
        at += 1;
    } else if tokens.get(at).is_some_and(|(t, _)| is_keyword(t, Keyword::DISTINCT)) {
        at += 1;
        if tokens.get(at).is_some_and(|(t, _)| is_keyword(t, Keyword::ON)) {
            at = skip_parenthesized(tokens, at + 1);
        }
    }
    let mut out = Vec::new();
    loop {
        let (end, more) = item_end(tokens, at);
        let item = &tokens[at..end];
        if needs_alias(item) {
            out.push(item.last().expect("a non-empty item").1);
        }
        if !more {
            return out;
        }
        at = end + 1;
    }
}

/// Where the item starting at `at` ends (exclusive), and whether a comma follows it.
fn item_end(tokens: &[(Token, usize)], at: usize) -> (usize, bool) {
    let mut depth = 0i32;
    for (i, (token, _)) in tokens.iter().enumerate().skip(at) {
        match token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket if depth == 0 => return (i, false),
            Token::RParen | Token::RBracket => depth -= 1,
            Token::Comma if depth == 0 => return (i, true),
            Token::SemiColon if depth == 0 => return (i, false),
            Token::Word(w) if depth == 0 && w.quote_style.is_none() && CLAUSES.contains(&w.keyword) => {
                // `a IS [NOT] DISTINCT FROM b` stays in the item.
                let distinct = i > 0 && is_keyword(&tokens[i - 1].0, Keyword::DISTINCT);
                if !(w.keyword == Keyword::FROM && distinct) {
                    return (i, false);
                }
            }
            _ => {}
        }
    }
    (tokens.len(), false)
}

/// The index after the parenthesized group starting at `at` (or `at` when none starts there).
fn skip_parenthesized(tokens: &[(Token, usize)], at: usize) -> usize {
    if !matches!(tokens.get(at), Some((Token::LParen, _))) {
        return at;
    }
    let mut depth = 0;
    for (i, (token, _)) in tokens.iter().enumerate().skip(at) {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Whether an item has no alias and is not a (qualified) column reference or `t.*`.
fn needs_alias(item: &[(Token, usize)]) -> bool {
    if item.is_empty() {
        return false;
    }
    if item.len() >= 2 && is_keyword(&item[item.len() - 2].0, Keyword::AS) {
        return false;
    }
    let column = item.iter().enumerate().all(|(i, (token, _))| match (i % 2, token) {
        (0, Token::Word(w)) => {
            w.quote_style.is_some() || !VALUE_WORDS.contains(&w.value.to_ascii_lowercase().as_str())
        }
        (0, Token::Mul) => i + 1 == item.len() && i > 0,
        (1, Token::Period) => i + 1 < item.len(),
        _ => false,
    });
    !column
}

fn is_keyword(token: &Token, keyword: Keyword) -> bool {
    matches!(token, Token::Word(w) if w.quote_style.is_none() && w.keyword == keyword)
}

/// (line, column) of the tokenizer (1-based, columns in characters) to byte offsets.
struct Offsets<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Offsets { text, line_starts }
    }

    fn byte(&self, loc: Location) -> usize {
        let Some(&start) = self.line_starts.get((loc.line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        let column = (loc.column as usize).saturating_sub(1);
        self.text[start..].char_indices().nth(column).map_or(self.text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::pin_unnamed_columns as pin;

    #[test]
    fn unnamed_columns_on_the_right_of_a_union_get_their_name() {
        let q = " SELECT t.a,\n    'x'::text AS k\n   FROM app.t\nUNION ALL\n SELECT u.a,\n    'y'::text\n   FROM app.u;";
        assert_eq!(
            pin(q),
            " SELECT t.a,\n    'x'::text AS k\n   FROM app.t\nUNION ALL\n SELECT u.a,\n    'y'::text AS \"?column?\"\n   FROM app.u;"
        );
        let nulls = "SELECT q.a FROM (SELECT b.a, b.c FROM b UNION SELECT NULL::integer, 'é'::text FROM d) q";
        assert_eq!(
            pin(nulls),
            "SELECT q.a FROM (SELECT b.a, b.c FROM b UNION SELECT NULL::integer AS \"?column?\", 'é'::text AS \"?column?\" FROM d) q"
        );
    }

    #[test]
    fn column_references_aliases_and_subqueries_stay() {
        for q in [
            "SELECT t.a, \"T\".\"b c\", t.*, x FROM t",
            "SELECT DISTINCT ON (t.a) t.a, lower(t.b) AS b FROM t",
            "SELECT t.a IS DISTINCT FROM t.b AS d FROM t",
            "SELECT count(*) FILTER (WHERE (t.a > 0)) AS n, array_agg(t.b ORDER BY t.b) AS l FROM t",
            "SELECT t.a FROM t WHERE (EXISTS ( SELECT 1 AS one FROM u))",
        ] {
            assert_eq!(pin(q), q);
        }
        assert_eq!(
            pin("SELECT t.a FROM t WHERE (EXISTS ( SELECT 1 FROM u)) AND true"),
            "SELECT t.a FROM t WHERE (EXISTS ( SELECT 1 AS \"?column?\" FROM u)) AND true"
        );
        assert_eq!(
            pin("SELECT 'a'::text AS k UNION SELECT 'b'::text ORDER BY 1"),
            "SELECT 'a'::text AS k UNION SELECT 'b'::text AS \"?column?\" ORDER BY 1"
        );
    }
}
