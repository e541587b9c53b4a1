//! Stable identifiers for cards and links.
//!
//! Ids are plain strings (`m1`, `s12`, `i407`, `p3`, `l88`, or whatever a spreadsheet used), compared in
//! natural order so that `i2` sorts before `i10` in files and lists. They never change for the life of a
//! card and are never reused inside a map.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest id we accept, in characters.
pub const MAX_ID_LEN: usize = 100;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Debug)]
        #[serde(try_from = "String", into = "String")]
        /// Shared text: copying an id (into an index, a finding, an undo step) copies a pointer.
        pub struct $name(std::sync::Arc<str>);

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(text: String) -> Result<Self, IdError> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }

        impl $name {
            /// Wraps a string after checking it is a usable id.
            pub fn new(text: impl Into<String>) -> Result<Self, IdError> {
                let text = text.into();
                check_id(&text)?;
                Ok(Self(std::sync::Arc::from(text)))
            }

            /// The id as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Ord for $name {
            fn cmp(&self, other: &Self) -> Ordering {
                natural_cmp(&self.0, &other.0)
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// The stable id of a card (mission, sub-mission, intervention or partner).
    NodeId
);
string_id!(
    /// The stable id of a link between two cards.
    LinkId
);

/// Why a piece of text cannot be an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("the id is empty; every card and link needs an id such as \"m1\"")]
    Empty,
    #[error("the id is {0} characters long; ids can be at most {MAX_ID_LEN}")]
    TooLong(usize),
    #[error("the id {0:?} has spaces at its start or end, or control characters; use letters, digits, '-' or '_'")]
    BadCharacters(String),
}

fn check_id(text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty);
    }
    let len = text.chars().count();
    if len > MAX_ID_LEN {
        return Err(IdError::TooLong(len));
    }
    if text.trim() != text || text.chars().any(char::is_control) {
        return Err(IdError::BadCharacters(text.to_owned()));
    }
    Ok(())
}

/// Compares strings so that runs of digits compare as numbers (`i2 < i10`); ties are broken by plain
/// byte order, so the order is total and agrees with equality.
#[must_use]
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(cx), Some(cy)) if cx.is_ascii_digit() && cy.is_ascii_digit() => {
                let nx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ny = y.iter().take_while(|c| c.is_ascii_digit()).count();
                let (dx, dy) = (trim_zeros(&x[..nx]), trim_zeros(&y[..ny]));
                let ord = dx.len().cmp(&dy.len()).then_with(|| dx.cmp(dy));
                if ord != Ordering::Equal {
                    return ord;
                }
                x = &x[nx..];
                y = &y[ny..];
            }
            (Some(cx), Some(cy)) => {
                if cx != cy {
                    return cx.cmp(cy);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

/// The number at the end of an id (`i407` → 407), used to keep new ids above every existing one.
#[must_use]
pub fn trailing_number(id: &str) -> Option<u64> {
    let digits = id.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    id[id.len() - digits..].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_sorts_numbers_by_value() {
        let mut ids = vec!["i10", "i2", "m1", "i1", "i02", "l3"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, vec!["i1", "i02", "i2", "i10", "l3", "m1"]);
    }

    #[test]
    fn natural_order_is_consistent_with_equality() {
        assert_ne!(natural_cmp("a01", "a1"), Ordering::Equal);
        assert_eq!(natural_cmp("a1", "a1"), Ordering::Equal);
    }

    #[test]
    fn ids_are_checked() {
        assert_eq!(NodeId::new(""), Err(IdError::Empty));
        assert!(NodeId::new(" m1").is_err());
        assert!(NodeId::new("m\n1").is_err());
        assert!(NodeId::new("x".repeat(101)).is_err());
        assert_eq!(NodeId::new("Cardiff ICB").map(|i| i.to_string()), Ok("Cardiff ICB".to_owned()));
    }

    #[test]
    fn trailing_numbers() {
        assert_eq!(trailing_number("i407"), Some(407));
        assert_eq!(trailing_number("abc"), None);
        assert_eq!(trailing_number("99999999999999999999999"), None);
    }
}
