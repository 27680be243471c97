//! The plain-text table format shared by the lexicon and sides files:
//! UTF-8, tab-separated, `#` comments, `@directive` lines, entry rows.

pub use crate::error::TableError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    Directive { name: String, fields: Vec<String>, line: usize },
    Row { fields: Vec<String>, line: usize },
}

/// Split a table file into directives and rows. Fields are tab-separated and
/// trimmed; trailing empty fields are kept so notes may be empty.
pub fn parse_lines(text: &str) -> Vec<Line> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        let mut fields: Vec<String> = l.split('\t').map(|f| f.trim().to_string()).collect();
        if let Some(name) = fields[0].strip_prefix('@') {
            let name = name.to_string();
            fields.remove(0);
            out.push(Line::Directive { name, fields, line });
        } else {
            out.push(Line::Row { fields, line });
        }
    }
    out
}

/// ASCII snake_case: what category, subcategory and dimension names must be,
/// because they become CSV column names.
pub fn is_snake_case(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives_rows_and_skips_comments() {
        let lines = parse_lines("# c\n@category\thedge\tdesc\n\nmay\thedge\tmodal\t\n");
        assert_eq!(lines.len(), 2);
        assert!(
            matches!(&lines[0], Line::Directive { name, fields, line: 2 } if name == "category" && fields[0] == "hedge")
        );
        assert!(matches!(&lines[1], Line::Row { fields, line: 4 } if fields.len() == 4));
    }

    #[test]
    fn snake_case() {
        assert!(is_snake_case("hedge_modal2"));
        assert!(!is_snake_case("Hedge"));
        assert!(!is_snake_case("2x"));
        assert!(!is_snake_case("a-b"));
    }
}
