//! The output formats and paper sizes, named once: the export dialog, the CLI and the file name
//! suggested for an export all read them from here. Adding a format means adding a variant here
//! and its writer in [`Format::write`]; the dialog and the CLI pick it up.

use serde::{Deserialize, Serialize};

use super::{Options, Page};
use crate::io;
use crate::model::MissionMap;

/// What an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    #[default]
    Png,
    Svg,
    Pdf,
    /// Mermaid flowchart text.
    Mermaid,
    /// Graphviz DOT text.
    Dot,
    /// The map as JSON (for scripts and other tools).
    Json,
}

impl Format {
    /// Every format, in the order the dialog lists them.
    pub const ALL: [Format; 6] = [Format::Png, Format::Svg, Format::Pdf, Format::Mermaid, Format::Dot, Format::Json];

    /// The file extension, without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Mermaid => "mmd",
            Format::Dot => "dot",
            Format::Json => "json",
        }
    }

    /// The name people see.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Format::Png => "PNG picture",
            Format::Svg => "SVG drawing",
            Format::Pdf => "PDF document",
            Format::Mermaid => "Mermaid text",
            Format::Dot => "Graphviz DOT text",
            Format::Json => "JSON data",
        }
    }

    /// The format a file name asks for, by its extension (any case).
    #[must_use]
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.extension() == ext)
    }

    /// The list of extensions for messages: ".png, .svg, .pdf, .mmd, .dot, .json".
    #[must_use]
    pub fn extensions_text() -> String {
        Format::ALL.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(", ")
    }

    /// A picture of the map (the options below apply); the others are data about it.
    #[must_use]
    pub fn is_picture(self) -> bool {
        matches!(self, Format::Png | Format::Svg | Format::Pdf)
    }

    /// The pixel scale applies.
    #[must_use]
    pub fn has_scale(self) -> bool {
        self == Format::Png
    }

    /// The paper size applies.
    #[must_use]
    pub fn has_page(self) -> bool {
        self == Format::Pdf
    }

    /// Writes `map` in this format. Returns the bytes and, for a PNG that had to be made smaller,
    /// a note saying so.
    pub fn write(self, map: &MissionMap, opts: &Options) -> Result<(Vec<u8>, Option<String>), String> {
        match self {
            Format::Png => super::render::to_png(map, opts).map_err(|e| e.to_string()),
            Format::Svg => Ok((super::svg::to_svg(map, opts).into_bytes(), None)),
            Format::Pdf => super::render::to_pdf(map, opts).map(|b| (b, None)).map_err(|e| e.to_string()),
            Format::Mermaid => Ok((io::graphviz::to_mermaid(map).into_bytes(), None)),
            Format::Dot => Ok((io::graphviz::to_dot(map).into_bytes(), None)),
            Format::Json => Ok((io::json::to_json(map).into_bytes(), None)),
        }
    }
}

impl Page {
    /// Every paper size, in the order the dialog lists them.
    pub const ALL: [Page; 5] =
        [Page::Natural, Page::A4Portrait, Page::A4Landscape, Page::A3Portrait, Page::A3Landscape];

    /// The name used on the command line and in settings.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Page::Natural => "natural",
            Page::A4Portrait => "a4",
            Page::A4Landscape => "a4-landscape",
            Page::A3Portrait => "a3",
            Page::A3Landscape => "a3-landscape",
        }
    }

    /// The name people see.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Page::Natural => "The drawing's own size",
            Page::A4Portrait => "A4 portrait",
            Page::A4Landscape => "A4 landscape",
            Page::A3Portrait => "A3 portrait",
            Page::A3Landscape => "A3 landscape",
        }
    }

    /// Reads a paper size: natural, a4 (or a4-portrait), a4-landscape, a3 (or a3-portrait),
    /// a3-landscape, in any case, with `_` or `-`.
    pub fn parse(text: &str) -> Result<Page, String> {
        let t = text.trim().to_ascii_lowercase().replace('_', "-");
        let t = t.strip_suffix("-portrait").unwrap_or(&t);
        Page::ALL.into_iter().find(|p| p.name() == t).ok_or_else(|| {
            format!(
                "\"{text}\" is not a page size; use {}",
                Page::ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// Kept as its extension ("png"), the way settings have always stored it.
impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.extension())
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Format, D::Error> {
        let text = String::deserialize(d)?.to_ascii_lowercase();
        Format::ALL
            .into_iter()
            .find(|f| f.extension() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown export format \"{text}\"")))
    }
}

impl Serialize for Page {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Page {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Page, D::Error> {
        let text = String::deserialize(d)?;
        Page::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_round_trips_through_its_extension() {
        for f in Format::ALL {
            let path = std::path::PathBuf::from(format!("map.{}", f.extension().to_uppercase()));
            assert_eq!(Format::from_path(&path), Some(f));
            assert!(!f.label().is_empty());
        }
        assert_eq!(Format::from_path(std::path::Path::new("map.docx")), None);
        assert_eq!(Format::extensions_text(), ".png, .svg, .pdf, .mmd, .dot, .json");
    }

    #[test]
    fn page_names_parse_back_and_old_spellings_are_kept() {
        for p in Page::ALL {
            assert_eq!(Page::parse(p.name()), Ok(p));
        }
        assert_eq!(Page::parse("A4-Portrait"), Ok(Page::A4Portrait));
        assert_eq!(Page::parse("a3_landscape"), Ok(Page::A3Landscape));
        let e = Page::parse("letter").unwrap_err();
        assert!(e.contains("natural, a4, a4-landscape, a3, a3-landscape"), "{e}");
    }

    #[test]
    fn every_format_writes_the_sample() {
        let map = crate::sample::uk_missions();
        let opts = Options { scale: 1.0, ..Options::default() };
        for f in Format::ALL {
            let (bytes, _) = f.write(&map, &opts).unwrap();
            assert!(bytes.len() > 100, "{f:?} wrote {} bytes", bytes.len());
        }
    }

    #[test]
    fn settings_spellings_are_stable() {
        assert_eq!(ron::to_string(&Format::Mermaid).unwrap(), "\"mmd\"");
        assert_eq!(ron::to_string(&Page::A4Landscape).unwrap(), "\"a4-landscape\"");
        assert_eq!(ron::from_str::<Page>("\"a3\"").unwrap(), Page::A3Portrait);
        // Settings saved before these were types still read.
        let old = r#"(format: "pdf", page: "a4-landscape", scale: 3.0)"#;
        let c: crate::editor::ExportChoices = ron::from_str(old).unwrap();
        assert_eq!((c.format, c.page, c.scale), (Format::Pdf, Page::A4Landscape, 3.0));
    }
}
