//! Turning byte offsets into "line L, column C" and finding where an id sits in a file's text, so that
//! every error can point at the place to fix.

use std::fmt;

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// Line and column (both from 1; columns count characters) of a byte offset.
#[must_use]
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Finds `field: "value"` in RON text (any spacing), returning the byte offset of the field name of
/// the `nth` match (from 0).
#[must_use]
pub fn find_field(text: &str, field: &str, value: &str, nth: usize) -> Option<usize> {
    quoted_forms(value).into_iter().find_map(|q| find_field_quoted(text, field, &q, nth))
}

/// The ways a string can be written in RON: plain, escaped, raw.
fn quoted_forms(value: &str) -> Vec<String> {
    let mut forms = vec![format!("\"{value}\"")];
    if let Ok(escaped) = ron::to_string(&value) {
        forms.push(escaped);
    }
    forms.push(format!("r#\"{value}\"#"));
    forms
}

fn find_field_quoted(text: &str, field: &str, quoted: &str, nth: usize) -> Option<usize> {
    let mut seen = 0;
    let mut from = 0;
    while let Some(rel) = text[from..].find(quoted) {
        let at = from + rel;
        from = at + quoted.len();
        let before = text[..at].trim_end();
        let Some(before) = before.strip_suffix(':') else { continue };
        let before = before.trim_end();
        if before.ends_with(field)
            && before[..before.len() - field.len()]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        {
            if seen == nth {
                return Some(before.len() - field.len());
            }
            seen += 1;
        }
    }
    None
}

/// Finds a quoted string on its own (e.g. an id inside a tuple), the `nth` match from `start`.
#[must_use]
pub fn find_quoted(text: &str, value: &str, start: usize, nth: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    quoted_forms(value).into_iter().find_map(|q| rest.match_indices(&q).nth(nth).map(|(i, _)| start + i))
}

/// Finds `field:` at or after `start`, but before the next `id:` entry.
#[must_use]
pub fn find_field_after(text: &str, start: usize, field: &str) -> Option<usize> {
    let rest = text.get(start..)?;
    let stop = rest.get(1..).and_then(|r| r.find("id:")).map_or(rest.len(), |i| i + 1);
    let window = &rest[..stop];
    let mut from = 0;
    while let Some(rel) = window[from..].find(field) {
        let at = from + rel;
        from = at + field.len();
        let after = window[from..].trim_start();
        let boundary = window[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        if boundary && after.starts_with(':') {
            return Some(start + at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 7), (2, 4));
    }

    #[test]
    fn fields_are_found() {
        let t = "(\n  id: \"x1\",\n  from:\"a\", to: \"b\"),\n( id : \"x1\", valid: \"x1\")";
        let first = find_field(t, "id", "x1", 0).unwrap();
        assert_eq!(line_col(t, first), (2, 3));
        let second = find_field(t, "id", "x1", 1).unwrap();
        assert_eq!(line_col(t, second), (4, 3));
        assert_eq!(find_field(t, "id", "x1", 2), None, "valid: is not id:");
        let to = find_field_after(t, first, "to").unwrap();
        assert_eq!(line_col(t, to), (3, 13));
    }
}
