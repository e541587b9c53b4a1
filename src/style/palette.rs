//! The themes: light (print and daylight), dark, high contrast, and the projector preset (high
//! contrast with bolder lines; the preset also raises the text size, see `editor::settings`). Every colour of a theme is in its
//! [`Palette`], so the canvas, the panels' map colours and every export draw from one place.

use serde::{Deserialize, Serialize};

use crate::model::progress::Status;
use crate::model::{Kind, LinkKind};

/// A plain sRGB colour.
pub type Rgb = [u8; 3];

/// How the map and the editor look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Theme {
    /// Dark text on light cards: daylight, print, Word and PowerPoint.
    #[default]
    Light,
    /// Light text on a dark background: dim rooms and dark slide templates.
    Dark,
    /// Black on white with deep colours and stronger outlines (7:1 text).
    HighContrast,
    /// High contrast with thick lines and outlines, for the back row (the preset also sets the text
    /// size to 150 % or more).
    Projector,
}

impl Theme {
    pub const ALL: [Theme; 4] = [Theme::Light, Theme::Dark, Theme::HighContrast, Theme::Projector];

    /// The name a person sees in menus.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Theme::Light => "Light",
            Theme::Dark => "Dark",
            Theme::HighContrast => "High contrast",
            Theme::Projector => "Projector",
        }
    }

    /// The name on the command line and in settings (`high-contrast`).
    #[must_use]
    pub fn cli_name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::HighContrast => "high-contrast",
            Theme::Projector => "projector",
        }
    }

    /// This theme's colours and weights.
    #[must_use]
    pub fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
            Theme::HighContrast => &HIGH_CONTRAST,
            Theme::Projector => &PROJECTOR,
        }
    }
}

/// How a link is dashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// Every colour and weight of a theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Palette {
    pub theme: Theme,
    /// Light text on dark ground (panels follow egui's dark look).
    pub dark: bool,
    /// The canvas, and the page of an export.
    pub background: Rgb,
    /// The canvas grid.
    pub grid: Rgb,
    /// Card titles, labels, the title block.
    pub text: Rgb,
    /// Secondary text (the export's subtitle, dimmed titles).
    pub muted: Rgb,
    /// Each kind's strong colour (header band, outline, icon, target text, badges), by
    /// [`Kind::ALL`] order.
    pub kinds: [Rgb; 4],
    /// Each kind's card body.
    pub fills: [Rgb; 4],
    /// Text and icons on a kind's header band.
    pub on_kind: Rgb,
    /// The ground of the small badges at a card's foot.
    pub badge: Rgb,
    /// Each link kind's colour, by [`LinkKind::ALL`] order.
    pub links: [Rgb; 5],
    /// On track, at risk, off track, stale or no data.
    pub statuses: [Rgb; 4],
    /// Text on a status chip.
    pub on_status: Rgb,
    /// The ring round selected and focused cards and the glow of a selected link.
    pub highlight: Rgb,
    /// Outlines are drawn this many times their normal width.
    pub outline_scale: f32,
    /// Links are drawn this many times their normal width.
    pub line_scale: f32,
}

impl Palette {
    /// A kind's strong colour.
    #[must_use]
    pub fn kind(&self, kind: Kind) -> Rgb {
        self.kinds[kind_index(kind)]
    }

    /// A kind's card body.
    #[must_use]
    pub fn fill(&self, kind: Kind) -> Rgb {
        self.fills[kind_index(kind)]
    }

    /// How a link kind is drawn: colour, width in map units (this theme's weight included), dash.
    #[must_use]
    pub fn link(&self, kind: LinkKind) -> (Rgb, f32, Dash) {
        let (width, dash) = match kind {
            LinkKind::ContributesTo => (2.5, Dash::Solid),
            LinkKind::Enables | LinkKind::Supports => (2.0, Dash::Dashed),
            LinkKind::Delivers => (2.0, Dash::Solid),
            LinkKind::Funds => (2.5, Dash::Dotted),
        };
        let i = LinkKind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
        (self.links[i], width * self.line_scale, dash)
    }

    /// A card's outline width in map units.
    #[must_use]
    pub fn outline(&self, kind: Kind) -> f32 {
        (if kind == Kind::Mission { 3.0 } else { 1.5 }) * self.outline_scale
    }

    /// The colour of a progress status (always shown beside its name, never alone).
    #[must_use]
    pub fn status(&self, s: Status) -> Rgb {
        match s {
            Status::OnTrack | Status::Met => self.statuses[0],
            Status::AtRisk => self.statuses[1],
            Status::OffTrack | Status::Missed => self.statuses[2],
            Status::NoData => self.statuses[3],
        }
    }
}

fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// The colour written as `#RRGGBB`.
#[must_use]
pub fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02X}{g:02X}{b:02X}")
}

const LIGHT: Palette = Palette {
    theme: Theme::Light,
    dark: false,
    background: [0xFA, 0xFA, 0xF7],
    grid: [0xEC, 0xEC, 0xE6],
    text: [0x1A, 0x1A, 0x1A],
    muted: [0x55, 0x55, 0x55],
    // Mission purple, sub-mission blue, intervention green, partner amber: apart for the common
    // colour-vision deficiencies and carrying white text at 4.5:1 or more.
    kinds: [[0x5B, 0x2C, 0x83], [0x15, 0x65, 0xC0], [0x00, 0x6B, 0x50], [0xA3, 0x4A, 0x00]],
    fills: [[0xF1, 0xEA, 0xF8], [0xE6, 0xF1, 0xFA], [0xE5, 0xF4, 0xEF], [0xFB, 0xEF, 0xE3]],
    on_kind: [0xFF, 0xFF, 0xFF],
    badge: [0xFF, 0xFF, 0xFF],
    links: [[0x33, 0x33, 0x40], [0x00, 0x6B, 0x50], [0xA3, 0x4A, 0x00], [0x9A, 0x7B, 0x00], [0x7A, 0x3E, 0x9D]],
    statuses: [[0, 110, 50], [150, 85, 0], [180, 20, 20], [90, 90, 90]],
    on_status: [0xFF, 0xFF, 0xFF],
    // Magenta: apart from every kind's colour, 3:1 or more on the canvas (amber was 1.9:1).
    highlight: [0xC0, 0x00, 0x6A],
    outline_scale: 1.0,
    line_scale: 1.0,
};

const DARK: Palette = Palette {
    theme: Theme::Dark,
    dark: true,
    background: [0x1B, 0x1B, 0x1F],
    grid: [0x2A, 0x2A, 0x30],
    text: [0xF2, 0xF2, 0xF2],
    muted: [0xB8, 0xB8, 0xC0],
    // The same hues, lightened, with dark text on the header band. Mission lilac is lighter than
    // sub-mission blue so that protanopes, who see both as blue, still tell them apart.
    kinds: [[0xE0, 0xC8, 0xFA], [0x5F, 0xA0, 0xF0], [0x6F, 0xD3, 0xAE], [0xF0, 0xB2, 0x7A]],
    fills: [[0x2B, 0x24, 0x38], [0x1F, 0x2A, 0x3A], [0x1C, 0x2E, 0x28], [0x33, 0x29, 0x1F]],
    on_kind: [0x12, 0x12, 0x12],
    badge: [0x1B, 0x1B, 0x1F],
    links: [[0xD8, 0xD8, 0xE0], [0x6F, 0xD3, 0xAE], [0xF0, 0xB2, 0x7A], [0xE8, 0xCF, 0x5A], [0xE0, 0xC8, 0xFA]],
    statuses: [[0x4C, 0xC3, 0x8A], [0xF0, 0xB4, 0x29], [0xFF, 0x7B, 0x72], [0xA0, 0xA0, 0xA8]],
    on_status: [0x12, 0x12, 0x12],
    highlight: [0xFF, 0x6E, 0xC7],
    outline_scale: 1.0,
    line_scale: 1.0,
};

const HIGH_CONTRAST: Palette = Palette {
    theme: Theme::HighContrast,
    dark: false,
    background: [0xFF, 0xFF, 0xFF],
    grid: [0xE4, 0xE4, 0xE4],
    text: [0x00, 0x00, 0x00],
    muted: [0x33, 0x33, 0x33],
    // Deep versions of the kind hues: 7:1 or more against white, text and outline alike.
    kinds: [[0x3B, 0x0A, 0x6B], [0x0B, 0x3D, 0x91], [0x00, 0x4D, 0x33], [0x6B, 0x2A, 0x00]],
    fills: [[0xFF, 0xFF, 0xFF]; 4],
    on_kind: [0xFF, 0xFF, 0xFF],
    badge: [0xFF, 0xFF, 0xFF],
    links: [[0x00, 0x00, 0x00], [0x00, 0x4D, 0x33], [0x6B, 0x2A, 0x00], [0x4D, 0x3D, 0x00], [0x3B, 0x0A, 0x6B]],
    statuses: [[0x00, 0x52, 0x2A], [0x6B, 0x3B, 0x00], [0xA0, 0x00, 0x00], [0x40, 0x40, 0x40]],
    on_status: [0xFF, 0xFF, 0xFF],
    highlight: [0xC0, 0x00, 0x6A],
    outline_scale: 1.6,
    line_scale: 1.3,
};

const PROJECTOR: Palette = Palette { theme: Theme::Projector, outline_scale: 2.2, line_scale: 1.8, ..HIGH_CONTRAST };
