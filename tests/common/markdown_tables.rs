//! The tables of a Markdown document as a Markdown renderer reads them (pulldown-cmark, GitHub's tables):
//! each table's rows (the header first) of cells' text. Shared by the unit tests of the review and the
//! integration tests of `plan --format markdown`.

/// Each table's rows of cells; panics on HTML inside a cell, which a renderer would not show as text.
pub fn markdown_tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let (mut tables, mut cell) = (Vec::new(), None::<String>);
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => tables.last_mut().unwrap().push(Vec::new()),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if cell.is_some() => panic!("HTML in a cell: {markdown}"),
            Event::End(TagEnd::TableCell) => {
                let row: &mut Vec<String> = tables.last_mut().unwrap().last_mut().unwrap();
                row.push(cell.take().unwrap());
            }
            _ => {}
        }
    }
    tables
}
