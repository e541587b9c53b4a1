//! Cards: the four kinds of node a theory of change is made of, with their own attributes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::listed::ItemId;

use super::ids::NodeId;

/// Which of the four kinds a card is, without its attributes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub enum Kind {
    Mission,
    SubMission,
    Intervention,
    Partner,
}

impl Kind {
    /// Every kind, top band first.
    pub const ALL: [Kind; 4] = [Kind::Mission, Kind::SubMission, Kind::Intervention, Kind::Partner];

    /// The name people read: "Mission", "Sub-mission", …
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Kind::Mission => "Mission",
            Kind::SubMission => "Sub-mission",
            Kind::Intervention => "Intervention",
            Kind::Partner => "Partner",
        }
    }

    /// The name used in CSV files and the CLI: `mission`, `sub-mission`, `intervention`, `partner`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Kind::Mission => "mission",
            Kind::SubMission => "sub-mission",
            Kind::Intervention => "intervention",
            Kind::Partner => "partner",
        }
    }

    /// The letter that starts new ids of this kind (`m`, `s`, `i`, `p`).
    #[must_use]
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Mission => "m",
            Kind::SubMission => "s",
            Kind::Intervention => "i",
            Kind::Partner => "p",
        }
    }

    /// Reads a kind as people write it in spreadsheets: any case, `-`, `_` or spaces, and the common
    /// synonyms (objective, outcome, milestone → sub-mission; project, programme, activity →
    /// intervention; organisation, stakeholder → partner).
    #[must_use]
    pub fn parse(text: &str) -> Option<Kind> {
        let key = normalise_word(text);
        Some(match key.as_str() {
            "mission" | "missions" | "goal" | "grandchallenge" | "challenge" | "impact" => Kind::Mission,
            "submission"
            | "submissions"
            | "objective"
            | "objectives"
            | "outcome"
            | "outcomes"
            | "intermediateoutcome"
            | "milestone"
            | "milestones"
            | "precondition" => Kind::SubMission,
            "intervention" | "interventions" | "project" | "projects" | "programme" | "program" | "activity"
            | "activities" | "policy" | "instrument" | "action" | "initiative" | "policylever" | "lever" | "output" => {
                Kind::Intervention
            }
            "partner"
            | "partners"
            | "partnerorganisation"
            | "partnerorganization"
            | "organisation"
            | "organization"
            | "stakeholder"
            | "actor"
            | "partnerorg" => Kind::Partner,
            _ => return None,
        })
    }

    /// The kind of card that goes under this one (what Tab adds, what quick capture and the parking
    /// lot place under a selected card) and the link from it to this one; nothing goes under a partner.
    #[must_use]
    pub fn child(self) -> Option<(Kind, super::link::LinkKind)> {
        use super::link::LinkKind;
        match self {
            Kind::Mission => Some((Kind::SubMission, LinkKind::ContributesTo)),
            Kind::SubMission => Some((Kind::Intervention, LinkKind::ContributesTo)),
            Kind::Intervention => Some((Kind::Partner, LinkKind::Delivers)),
            Kind::Partner => None,
        }
    }

    /// The smallest card of this kind, in map units (width, height); a card grows taller to hold its
    /// whole title (see [`Node::card_size`]).
    #[must_use]
    pub fn card_size(self) -> (f32, f32) {
        match self {
            Kind::Mission => (280.0, 96.0),
            Kind::SubMission | Kind::Intervention | Kind::Partner => (240.0, 80.0),
        }
    }
}

/// Lower-cases and drops spaces, `-`, `_`, `/` and `.` so that "Sub Mission", "sub_mission" and
/// "SUB-MISSION" all read the same.
#[must_use]
pub fn normalise_word(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '/' | '.' | '\u{a0}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A card on the map.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: NodeId,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub kind: NodeKind,
}

impl Node {
    /// Width and height of this card in map units: its kind's width, tall enough for the whole title.
    #[must_use]
    pub fn card_size(&self) -> (f32, f32) {
        super::card::size(self)
    }

    /// A card of the given kind with empty attributes.
    #[must_use]
    pub fn new(id: NodeId, kind: Kind, title: impl Into<String>) -> Node {
        Node {
            id,
            title: title.into(),
            description: String::new(),
            tags: Vec::new(),
            notes: String::new(),
            kind: NodeKind::empty(kind),
        }
    }

    /// The card's kind without attributes.
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.kind.kind()
    }

    /// Every number stored on the card, so callers can refuse NaN and infinity.
    pub(crate) fn numbers(&self) -> Vec<(&'static str, f64)> {
        let mut out = Vec::new();
        let mut opt = |name: &'static str, v: Option<f64>| {
            if let Some(v) = v {
                out.push((name, v));
            }
        };
        match &self.kind {
            NodeKind::Mission { target, .. } => {
                opt("target baseline", target.baseline);
                opt("target value", target.value);
                for r in &target.readings {
                    opt("reading", Some(r.value));
                }
                for m in &target.milestones {
                    opt("milestone", Some(m.value));
                }
            }
            NodeKind::SubMission { indicators, .. } => {
                for ind in indicators {
                    opt("indicator baseline", ind.baseline);
                    opt("indicator target", ind.target);
                    for r in &ind.readings {
                        opt("reading", Some(r.value));
                    }
                    for m in &ind.milestones {
                        opt("milestone", Some(m.value));
                    }
                }
            }
            NodeKind::Intervention { budget, budget_lines, .. } => {
                opt("budget amount", budget.as_ref().map(|b| b.amount));
                for line in budget_lines {
                    opt("budget line amount", Some(line.amount));
                }
            }
            NodeKind::Partner { .. } => {}
        }
        out
    }
}

/// A card's kind together with the attributes only that kind has.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum NodeKind {
    Mission {
        /// The mission statement: bold, concrete, inspirational.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        statement: String,
        /// What success is measured by, and by when.
        #[serde(default, skip_serializing_if = "Target::is_empty")]
        target: Target,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        lead_department: String,
    },
    SubMission {
        /// The intermediate outcome in words.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        outcome: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        indicators: Vec<Indicator>,
    },
    Intervention {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instrument: Option<Instrument>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        lead_department: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        budget: Option<Budget>,
        /// Format 3: money by year, status and source (see [`BudgetLine`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        budget_lines: Vec<BudgetLine>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<Stage>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        start: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        end: Option<NaiveDate>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        risk: Option<Risk>,
        /// What could go wrong, in words.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        risk_note: String,
        /// Format 2: what the board decided about it, oldest first.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        decisions: Vec<Decision>,
    },
    Partner {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sector: Option<Sector>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tier: Option<Tier>,
        /// What the partner does for the mission.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        role: String,
    },
}

impl NodeKind {
    /// Empty attributes for a kind.
    #[must_use]
    pub fn empty(kind: Kind) -> NodeKind {
        match kind {
            Kind::Mission => NodeKind::Mission {
                statement: String::new(),
                target: Target::default(),
                lead_department: String::new(),
            },
            Kind::SubMission => NodeKind::SubMission { outcome: String::new(), indicators: Vec::new() },
            Kind::Intervention => NodeKind::Intervention {
                instrument: None,
                lead_department: String::new(),
                budget: None,
                budget_lines: Vec::new(),
                stage: None,
                start: None,
                end: None,
                risk: None,
                risk_note: String::new(),
                decisions: Vec::new(),
            },
            Kind::Partner => NodeKind::Partner { sector: None, tier: None, role: String::new() },
        }
    }

    #[must_use]
    pub fn kind(&self) -> Kind {
        match self {
            NodeKind::Mission { .. } => Kind::Mission,
            NodeKind::SubMission { .. } => Kind::SubMission,
            NodeKind::Intervention { .. } => Kind::Intervention,
            NodeKind::Partner { .. } => Kind::Partner,
        }
    }

    /// The lead department, for the kinds that have one.
    #[must_use]
    pub fn lead_department(&self) -> Option<&str> {
        match self {
            NodeKind::Mission { lead_department, .. } | NodeKind::Intervention { lead_department, .. } => {
                Some(lead_department)
            }
            _ => None,
        }
    }
}

/// A mission's measurable target.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub metric: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    /// Format 2: when the baseline was measured (without it, the first reading's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_date: Option<NaiveDate>,
    /// Format 2: how often it is measured ("quarterly"), for telling a stale reading.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub frequency: String,
    /// Format 2: interim milestones that shape the trajectory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// Format 2: what was measured, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// Format 2: for a target equal to its baseline ("hold at 18 weeks"), which side of it is good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<super::progress::Hold>,
}

/// What a board decided about an intervention at a meeting.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub date: NaiveDate,
    pub decision: DecisionKind,
    /// Who decided ("Mission board, meeting 4").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub who: String,
    /// Why, in the board's words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
}

/// An item on the map's action list: what, who, by when, and whether it is done.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionItem {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub what: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
}

/// One measurement of an indicator or a mission's target.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub date: NaiveDate,
    pub value: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Where the figure comes from ("ONS, table 4").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A point the trajectory must pass through on its way to the target.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub date: NaiveDate,
    pub value: f64,
}

impl Target {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Target::default()
    }

    /// The target as a card shows it: "Target: from 59 to 92% — Patients waiting under 18 weeks"; `None`
    /// when there is neither a metric nor a value.
    #[must_use]
    pub fn text(&self) -> Option<String> {
        let number = |v: f64| {
            let n = if v.fract() == 0.0 && v.abs() < 1e15 {
                // Whole numbers with thousands separators: 1,500,000.
                let digits = format!("{:.0}", v.abs());
                let mut grouped = String::new();
                for (i, c) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push(',');
                    }
                    grouped.push(c);
                }
                if v < 0.0 { format!("-{grouped}") } else { grouped }
            } else {
                format!("{v}")
            };
            n.replace('-', "\u{2212}")
        };
        let amount = |v: f64| {
            let n = number(v);
            match self.unit.trim() {
                "" => n,
                u if u.starts_with('%') => format!("{n}{u}"),
                u => format!("{n} {u}"),
            }
        };
        let value = self.value.filter(|v| v.is_finite()).map(|v| match self.baseline.filter(|b| b.is_finite()) {
            Some(b) => format!("from {} to {}", number(b), amount(v)),
            None => amount(v),
        });
        let metric = self.metric.trim();
        match (value, metric.is_empty()) {
            (Some(v), false) => Some(format!("Target: {v} \u{2014} {metric}")),
            (Some(v), true) => Some(format!("Target: {v}")),
            (None, false) => Some(format!("Target: {metric}")),
            (None, true) => None,
        }
    }
}

/// How a sub-mission's progress is measured.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Format 3: the item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// How often it is measured ("quarterly").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub frequency: String,
    /// Format 2: when the baseline was measured (without it, the first reading's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_date: Option<NaiveDate>,
    /// Format 2: interim milestones that shape the trajectory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    /// Format 2: what was measured, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
    /// Format 2: for a target equal to its baseline ("hold at 18 weeks"), which side of it is good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<super::progress::Hold>,
}

/// Money set aside for an intervention.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub amount: f64,
    /// ISO 4217 code, e.g. "GBP".
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The period the amount covers, e.g. "2025-26 to 2029-30" or "per year".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub period: String,
}

fn default_currency() -> String {
    "GBP".to_owned()
}

/// One line of an intervention's money: an amount for a year, from a department or fund, planned,
/// committed or spent. An intervention holds any number of them (format 3).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    /// The item's stable id (see `model::listed`).
    #[serde(default, skip_serializing_if = "ItemId::is_empty")]
    pub id: ItemId,
    pub amount: f64,
    /// ISO 4217 code, e.g. "GBP": three letters, written in capitals.
    #[serde(default = "default_currency", deserialize_with = "currency_code")]
    pub currency: String,
    /// The financial year ("2025-26") or calendar year ("2026") the money is for; none when not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<BudgetYear>,
    #[serde(default)]
    pub status: BudgetStatus,
    /// The department or fund the money comes from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// Where the figure comes from, or anything else worth saying about it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl BudgetLine {
    /// A planned line in pounds with nothing else said.
    #[must_use]
    pub fn new(amount: f64) -> BudgetLine {
        BudgetLine {
            id: ItemId::default(),
            amount,
            currency: default_currency(),
            year: None,
            status: BudgetStatus::Planned,
            source: String::new(),
            note: String::new(),
        }
    }
}

/// Reads a currency code: three letters, any case; written back in capitals.
fn currency_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let text = String::deserialize(d)?;
    parse_currency(&text).ok_or_else(|| {
        serde::de::Error::custom(format!("the currency {text:?} is not a three-letter code such as \"GBP\" or \"EUR\""))
    })
}

/// A currency code as people type it ("gbp", " EUR ") in capitals; `None` unless it is three letters.
#[must_use]
pub fn parse_currency(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic())).then(|| t.to_ascii_uppercase())
}

/// The year a budget line is for: a UK financial year (April to March, "2025-26") or a calendar
/// year ("2026").
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum BudgetYear {
    /// The financial year that starts in April of this year: 2025 is "2025-26".
    Financial(i32),
    Calendar(i32),
}

impl BudgetYear {
    /// Reads "2025-26", "2025/26", "2025-2026", "FY2025-26" or "2026"; `None` for anything else
    /// (a financial year's second year must follow its first).
    #[must_use]
    pub fn parse(text: &str) -> Option<BudgetYear> {
        let t = text.trim();
        let t = t.strip_prefix("FY").or_else(|| t.strip_prefix("fy")).unwrap_or(t).trim();
        let year = |s: &str| -> Option<i32> {
            let y: i32 = (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())??;
            (1900..=2200).contains(&y).then_some(y)
        };
        match t.split_once(['-', '/', '\u{2013}']) {
            None => year(t).map(BudgetYear::Calendar),
            Some((a, b)) => {
                let first = year(a.trim())?;
                let b = b.trim();
                let second_ok = match b.len() {
                    2 => b.bytes().all(|c| c.is_ascii_digit()) && b.parse::<i32>().ok()? == (first + 1) % 100,
                    4 => year(b) == Some(first + 1),
                    _ => false,
                };
                second_ok.then_some(BudgetYear::Financial(first))
            }
        }
    }

    /// "2025-26" or "2026".
    #[must_use]
    pub fn text(self) -> String {
        match self {
            BudgetYear::Financial(y) => format!("{y}-{:02}", (y + 1).rem_euclid(100)),
            BudgetYear::Calendar(y) => y.to_string(),
        }
    }
}

impl std::fmt::Display for BudgetYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl TryFrom<String> for BudgetYear {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        BudgetYear::parse(&text).ok_or_else(|| {
            format!(
                "the year {text:?} is neither a financial year such as \"2025-26\" nor a calendar year such as \"2026\""
            )
        })
    }
}

impl From<BudgetYear> for String {
    fn from(y: BudgetYear) -> String {
        y.text()
    }
}

/// Defines a plain choice enum with its labels, CSV names and list of all values.
macro_rules! choice_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $label:literal, $slug:literal $(| $alias:literal)*;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name people read.
            #[must_use]
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The name used in CSV files.
            #[must_use]
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// Reads a value written by a person: the label, the CSV name or a common synonym, in any case.
            #[must_use]
            pub fn parse(text: &str) -> Option<$name> {
                let key = normalise_word(text);
                $(
                    if key == normalise_word($slug) || key == normalise_word($label) || key == normalise_word(stringify!($variant)) $(|| key == normalise_word($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// Every CSV name, for error messages.
            #[must_use]
            pub fn slugs() -> String {
                [$($slug),+].join(", ")
            }
        }
    };
}

choice_enum!(
    /// The policy instrument an intervention uses.
    Instrument {
        Regulation => "Regulation", "regulation" | "legislation" | "standards";
        PublicInvestment => "Public investment", "public-investment" | "investment" | "capital";
        Procurement => "Procurement", "procurement" | "public procurement";
        GrantOrLoan => "Grant or loan", "grant-or-loan" | "grant" | "loan" | "grants" | "subsidy";
        Tax => "Tax", "tax" | "tax incentive" | "tax relief";
        Skills => "Skills", "skills" | "training" | "education";
        ResearchAndInnovation => "Research and innovation", "research-and-innovation" | "r&d" | "research" | "innovation";
        Convening => "Convening and partnership", "convening" | "partnership" | "convening/partnership";
        DataAndDigital => "Data and digital", "data-and-digital" | "data" | "digital";
        Other => "Other", "other";
    }
);

choice_enum!(
    /// Where an intervention is in its life.
    Stage {
        Idea => "Idea", "idea";
        Proposed => "Proposed", "proposed";
        Agreed => "Agreed", "agreed" | "approved";
        InDelivery => "In delivery", "in-delivery" | "delivery" | "delivering" | "live";
        Completed => "Completed", "completed" | "complete" | "done";
        Stopped => "Stopped", "stopped" | "cancelled" | "canceled";
    }
);

choice_enum!(
    /// What a board can decide about an intervention (the portfolio's verbs).
    DecisionKind {
        Explore => "Explore", "explore" | "investigate" | "test";
        Scale => "Scale", "scale" | "scale up" | "expand";
        Continue => "Continue", "continue" | "keep";
        Fix => "Fix", "fix" | "change" | "adjust";
        Sunset => "Sunset", "sunset" | "stop" | "end" | "close";
    }
);

choice_enum!(
    /// How far a budget line's money has got: planned, committed (agreed and signed) or spent.
    BudgetStatus {
        Planned => "Planned", "planned" | "proposed" | "allocated";
        Committed => "Committed", "committed" | "agreed" | "contracted";
        Spent => "Spent", "spent" | "paid" | "outturn" | "actual";
    }
);

#[allow(clippy::derivable_impls, reason = "choice_enum! makes the enum and cannot mark a default variant")]
impl Default for BudgetStatus {
    fn default() -> Self {
        BudgetStatus::Planned
    }
}

choice_enum!(
    /// How risky an intervention's delivery is.
    Risk {
        Low => "Low", "low";
        Medium => "Medium", "medium" | "med" | "amber";
        High => "High", "high" | "red";
    }
);

choice_enum!(
    /// The sector a partner organisation belongs to.
    Sector {
        CentralGovernment => "Central government", "central-government" | "government" | "department" | "central";
        DevolvedOrLocalGovernment => "Devolved or local government", "devolved-or-local-government" | "local government" | "devolved" | "local authority" | "combined authority";
        ArmsLengthBody => "Arm's-length body", "arms-length-body" | "alb" | "arm's length body" | "agency" | "regulator";
        PublicFinanceInstitution => "Public finance institution", "public-finance-institution" | "pfi" | "public bank" | "development bank";
        Business => "Business", "business" | "private" | "private sector" | "industry";
        TradeUnion => "Trade union", "trade-union" | "union" | "unions";
        AcademiaResearch => "Academia and research", "academia-research" | "academia" | "university" | "research";
        CivilSociety => "Civil society and charity", "civil-society" | "charity" | "voluntary" | "third sector" | "ngo";
        International => "International", "international";
    }
);

choice_enum!(
    /// The tier of government or geography a partner works at.
    Tier {
        International => "International", "international" | "global";
        National => "National", "national";
        Regional => "Regional", "regional";
        Local => "Local", "local";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_read_as_a_card_shows_them() {
        let t = |metric: &str, unit: &str, baseline: Option<f64>, value: Option<f64>| {
            Target { metric: metric.to_owned(), unit: unit.to_owned(), baseline, value, ..Target::default() }.text()
        };
        assert_eq!(t("Clean power", "%", None, Some(95.0)).as_deref(), Some("Target: 95% \u{2014} Clean power"));
        assert_eq!(
            t("Serious violent crime", "% change", Some(0.0), Some(-50.0)).as_deref(),
            Some("Target: from 0 to \u{2212}50% change \u{2014} Serious violent crime")
        );
        assert_eq!(t("", "homes", None, Some(1.5e6)).as_deref(), Some("Target: 1,500,000 homes"));
        assert_eq!(t("Growth", "", None, Some(f64::NAN)).as_deref(), Some("Target: Growth"));
        assert_eq!(t("", "", None, None), None);
    }

    #[test]
    fn budget_years_read_both_styles_and_refuse_nonsense() {
        assert_eq!(BudgetYear::parse("2025-26"), Some(BudgetYear::Financial(2025)));
        assert_eq!(BudgetYear::parse(" 2025/26 "), Some(BudgetYear::Financial(2025)));
        assert_eq!(BudgetYear::parse("2025-2026"), Some(BudgetYear::Financial(2025)));
        assert_eq!(BudgetYear::parse("FY2099-00"), Some(BudgetYear::Financial(2099)));
        assert_eq!(BudgetYear::parse("2026"), Some(BudgetYear::Calendar(2026)));
        for bad in ["2025-27", "2025-2025", "26", "twenty", "", "2025-", "12345", "2025-26-27"] {
            assert_eq!(BudgetYear::parse(bad), None, "{bad:?}");
        }
        assert_eq!(BudgetYear::Financial(2025).text(), "2025-26");
        assert_eq!(BudgetYear::Financial(2099).text(), "2099-00");
        assert_eq!(BudgetYear::Calendar(2026).text(), "2026");
        assert_eq!(parse_currency(" eur"), Some("EUR".to_owned()));
        assert_eq!(parse_currency("pounds"), None);
    }

    #[test]
    fn kinds_read_synonyms_in_any_case() {
        assert_eq!(Kind::parse("Objective"), Some(Kind::SubMission));
        assert_eq!(Kind::parse("sub mission"), Some(Kind::SubMission));
        assert_eq!(Kind::parse("SUB_MISSION"), Some(Kind::SubMission));
        assert_eq!(Kind::parse("Partner organisation"), Some(Kind::Partner));
        assert_eq!(Kind::parse(" programme "), Some(Kind::Intervention));
        assert_eq!(Kind::parse("widget"), None);
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.slug()), Some(kind));
            assert_eq!(Kind::parse(kind.label()), Some(kind));
        }
    }

    #[test]
    fn choices_read_their_own_names() {
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.slug()), Some(*s));
            assert_eq!(Sector::parse(s.label()), Some(*s));
        }
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.slug()), Some(*s));
        }
        for s in Instrument::ALL {
            assert_eq!(Instrument::parse(s.label()), Some(*s));
        }
        assert_eq!(Instrument::parse("R&D"), Some(Instrument::ResearchAndInnovation));
        assert_eq!(Stage::parse("In Delivery"), Some(Stage::InDelivery));
    }
}
