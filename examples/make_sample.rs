//! Builds `assets/samples/uk-missions.mission.ron`, the sample map built into the app: the UK's five
//! missions (2024) with their Plan for Change milestones as sub-missions, the interventions serving
//! them and the partner organisations delivering them.
//!
//! Run: `cargo run --example make_sample > assets/samples/uk-missions.mission.ron`
#![allow(clippy::unwrap_used, reason = "the sample is fixed data; a failure is a bug in this program")]
#![allow(
    clippy::assigning_clones,
    clippy::type_complexity,
    clippy::items_after_statements,
    reason = "a data script, written for reading"
)]

use chrono::{NaiveDate, TimeZone, Utc};
use missionboard::model::{
    Budget, Evidence, Indicator, Instrument, Kind, Link, LinkKind, MissionMap, Node, NodeId, NodeKind, Placement, Risk,
    Sector, Stage, Target, Tier,
};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

struct Builder {
    map: MissionMap,
}

impl Builder {
    fn node(&mut self, id: &str, kind: NodeKind, title: &str, description: &str) -> NodeId {
        let id = NodeId::new(id).unwrap();
        let mut n = Node::new(id.clone(), kind.kind(), title);
        n.kind = kind;
        n.description = description.to_owned();
        self.map.add_node(n, Placement::default()).unwrap();
        id
    }

    fn link(&mut self, from: &str, to: &str, kind: LinkKind, rationale: &str, evidence: Evidence, confidence: u8) {
        let id = self.map.fresh_link_id();
        let mut l = Link::new(id, NodeId::new(from).unwrap(), NodeId::new(to).unwrap(), kind);
        l.rationale = rationale.to_owned();
        l.evidence = evidence;
        if confidence > 0 {
            l.confidence = Some(confidence);
        }
        self.map.add_link(l).unwrap();
    }
}

fn mission(
    statement: &str,
    metric: &str,
    unit: &str,
    baseline: Option<f64>,
    value: f64,
    deadline: Option<NaiveDate>,
    lead: &str,
) -> NodeKind {
    NodeKind::Mission {
        statement: statement.to_owned(),
        target: Target {
            metric: metric.to_owned(),
            unit: unit.to_owned(),
            baseline,
            value: Some(value),
            deadline,
            ..Target::default()
        },
        lead_department: lead.to_owned(),
    }
}

fn sub(outcome: &str, indicators: &[(&str, &str, Option<f64>, f64, Option<NaiveDate>, &str, &str)]) -> NodeKind {
    NodeKind::SubMission {
        outcome: outcome.to_owned(),
        indicators: indicators
            .iter()
            .map(|(name, unit, baseline, target, deadline, source, frequency)| Indicator {
                name: (*name).to_owned(),
                unit: (*unit).to_owned(),
                baseline: *baseline,
                target: Some(*target),
                deadline: *deadline,
                source: (*source).to_owned(),
                frequency: (*frequency).to_owned(),
                ..Indicator::default()
            })
            .collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn intervention(
    instrument: Instrument,
    lead: &str,
    budget_m: f64,
    period: &str,
    stage: Stage,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    risk: Risk,
    risk_note: &str,
) -> NodeKind {
    NodeKind::Intervention {
        instrument: Some(instrument),
        lead_department: lead.to_owned(),
        budget: (budget_m > 0.0).then(|| Budget {
            amount: budget_m * 1_000_000.0,
            currency: "GBP".to_owned(),
            period: period.to_owned(),
        }),
        stage: Some(stage),
        start,
        end,
        risk: Some(risk),
        risk_note: risk_note.to_owned(),
        decisions: Vec::new(),
        budget_lines: Vec::new(),
    }
}

fn partner(sector: Sector, tier: Tier, role: &str) -> NodeKind {
    NodeKind::Partner { sector: Some(sector), tier: Some(tier), role: role.to_owned() }
}

fn main() {
    use Evidence::{Anecdotal as A, Moderate as M, Strong as S};
    use LinkKind::{ContributesTo as C, Delivers as D, Enables as E, Funds as F, Supports as SU};
    let mut b = Builder { map: MissionMap::new("UK missions: theory of change (sample)") };
    b.map.meta.description = "The UK government's five missions (2024) with the Plan for Change milestones (December 2024), a portfolio of interventions and the partners who deliver them. A sample to learn from: figures are illustrative.".to_owned();
    b.map.meta.organisation = "Sample: Missions Unit, Cabinet Office".to_owned();
    b.map.meta.created = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
    b.map.meta.modified = b.map.meta.created;

    // Missions
    b.node("m1", mission("Secure the highest sustained growth in the G7, with good jobs and productivity growth in every part of the country.", "Sustained real GDP growth, rank in the G7", "rank", None, 1.0, date(2029, 12, 31), "HM Treasury"), "Kickstart economic growth", "Growth is the number one mission: higher living standards in every part of the UK.");
    b.node(
        "m2",
        mission(
            "Make Britain a clean energy superpower: clean power by 2030 and accelerating to net zero.",
            "Electricity generated from clean sources",
            "%",
            None,
            95.0,
            date(2030, 12, 31),
            "Department for Energy Security and Net Zero",
        ),
        "Make Britain a clean energy superpower",
        "Cut bills, create jobs and deliver energy security with clean power by 2030.",
    );
    b.node("m3", mission("Take back our streets: halve serious violent crime and halve violence against women and girls within a decade.", "Serious violent crime", "% change from 2024", Some(0.0), -50.0, date(2034, 12, 31), "Home Office"), "Take back our streets", "Safer streets, with confidence in the police and criminal justice system restored.");
    b.node("m4", mission("Break down barriers to opportunity: break the link between young people's background and their future success.", "Five-year-olds with a good level of development", "%", Some(67.7), 75.0, date(2028, 8, 31), "Department for Education"), "Break down barriers to opportunity", "Every child gets the best start in life, whatever their background.");
    b.node("m5", mission("Build an NHS fit for the future that is there when people need it, with fewer lives lost to the biggest killers and fewer health inequalities.", "Patients waiting under 18 weeks from referral", "%", Some(59.0), 92.0, date(2029, 3, 31), "Department of Health and Social Care"), "Build an NHS fit for the future", "Shift from hospital to community, analogue to digital, sickness to prevention.");

    // Sub-missions: Plan for Change milestones and intermediate outcomes
    let q = "quarterly";
    b.node(
        "s1",
        sub(
            "Real household disposable income per person and GDP per person rise in every region.",
            &[(
                "Real household disposable income per head",
                "£ per head",
                None,
                0.0,
                date(2029, 12, 31),
                "ONS regional accounts",
                "yearly",
            )],
        ),
        "Higher living standards in every part of the UK",
        "Plan for Change milestone.",
    );
    b.node(
        "s2",
        sub(
            "1.5 million safe and decent homes built in England in this Parliament.",
            &[(
                "Net additional dwellings",
                "homes",
                Some(0.0),
                1_500_000.0,
                date(2029, 7, 31),
                "MHCLG housing supply statistics",
                q,
            )],
        ),
        "1.5 million homes built in England",
        "Plan for Change milestone.",
    );
    b.node(
        "s3",
        sub(
            "Planning decisions on 150 major economic infrastructure projects.",
            &[(
                "Development consent decisions",
                "projects",
                Some(0.0),
                150.0,
                date(2029, 7, 31),
                "Planning Inspectorate",
                q,
            )],
        ),
        "Decisions on 150 major infrastructure projects",
        "Plan for Change milestone.",
    );
    b.node(
        "s4",
        sub(
            "Clean sources produce at least 95% of Great Britain's electricity generation.",
            &[
                ("Clean share of generation", "%", None, 95.0, date(2030, 12, 31), "NESO / Energy Trends", q),
                ("Grid connections delivered", "GW", None, 0.0, date(2030, 12, 31), "NESO connections register", q),
            ],
        ),
        "On track to at least 95% clean power by 2030",
        "Plan for Change milestone.",
    );
    b.node(
        "s5",
        sub(
            "Homes are warmer and cheaper to heat.",
            &[(
                "Households in fuel poverty (England)",
                "%",
                None,
                0.0,
                date(2030, 12, 31),
                "DESNZ fuel poverty statistics",
                "yearly",
            )],
        ),
        "Warmer homes and lower bills",
        "Intermediate outcome.",
    );
    b.node(
        "s6",
        sub(
            "13,000 more neighbourhood police officers and PCSOs in communities.",
            &[(
                "Neighbourhood officers and PCSOs added",
                "FTE",
                Some(0.0),
                13_000.0,
                date(2029, 3, 31),
                "Home Office police workforce statistics",
                "twice a year",
            )],
        ),
        "13,000 more neighbourhood police and PCSOs",
        "Plan for Change milestone.",
    );
    b.node(
        "s7",
        sub(
            "Knife crime falls by half within a decade.",
            &[("Knife-enabled offences", "offences", None, 0.0, date(2034, 12, 31), "ONS crime statistics", q)],
        ),
        "Halve knife crime",
        "Intermediate outcome.",
    );
    b.node(
        "s8",
        sub(
            "Violence against women and girls halves within a decade.",
            &[(
                "Domestic abuse prevalence",
                "% of adults",
                None,
                0.0,
                date(2034, 12, 31),
                "Crime Survey for England and Wales",
                "yearly",
            )],
        ),
        "Halve violence against women and girls",
        "Intermediate outcome.",
    );
    b.node(
        "s9",
        sub(
            "A record 75% of five-year-olds in England are school-ready.",
            &[(
                "Good level of development at age five",
                "%",
                Some(67.7),
                75.0,
                date(2028, 8, 31),
                "Early years foundation stage profile",
                "yearly",
            )],
        ),
        "75% of five-year-olds school-ready",
        "Plan for Change milestone.",
    );
    b.node(
        "s10",
        sub(
            "Every young person is earning or learning.",
            &[(
                "16-24s not in education, employment or training",
                "%",
                None,
                0.0,
                date(2029, 12, 31),
                "ONS labour force survey",
                q,
            )],
        ),
        "Every young person earning or learning",
        "Intermediate outcome.",
    );
    b.node(
        "s11",
        sub(
            "92% of patients start treatment within 18 weeks of referral.",
            &[(
                "Referral to treatment within 18 weeks",
                "%",
                Some(59.0),
                92.0,
                date(2029, 3, 31),
                "NHS England RTT statistics",
                "monthly",
            )],
        ),
        "92% of patients treated within 18 weeks",
        "Plan for Change milestone.",
    );
    b.node(
        "s12",
        sub(
            "More care is delivered in the community, closer to home.",
            &[(
                "Share of NHS spend on community and primary care",
                "%",
                None,
                0.0,
                date(2030, 3, 31),
                "NHS England accounts",
                "yearly",
            )],
        ),
        "More care delivered in the community",
        "Intermediate outcome.",
    );

    // Interventions
    b.node(
        "i1",
        intervention(
            Instrument::PublicInvestment,
            "HM Treasury",
            27_800.0,
            "2025-26 to 2029-30",
            Stage::InDelivery,
            date(2024, 10, 14),
            None,
            Risk::Medium,
            "Private capital may not follow at the hoped-for ratio.",
        ),
        "National Wealth Fund investment",
        "Crowd in private investment in clean energy and growth industries.",
    );
    b.node(
        "i2",
        intervention(
            Instrument::Regulation,
            "Ministry of Housing, Communities and Local Government",
            0.0,
            "",
            Stage::InDelivery,
            date(2025, 3, 11),
            None,
            Risk::Medium,
            "Legal challenges to individual decisions.",
        ),
        "Planning and Infrastructure Act reforms",
        "Speed up decisions on homes and infrastructure.",
    );
    b.node(
        "i3",
        intervention(
            Instrument::PublicInvestment,
            "Ministry of Housing, Communities and Local Government",
            39_000.0,
            "2026-27 to 2035-36",
            Stage::Agreed,
            date(2026, 4, 1),
            date(2036, 3, 31),
            Risk::High,
            "Build costs and builder capacity.",
        ),
        "Social and Affordable Homes Programme",
        "Ten-year grant programme for social and affordable homes.",
    );
    b.node(
        "i4",
        intervention(
            Instrument::Convening,
            "Ministry of Housing, Communities and Local Government",
            0.0,
            "",
            Stage::Proposed,
            date(2025, 9, 1),
            None,
            Risk::High,
            "Long lead times and local opposition.",
        ),
        "New towns programme",
        "A new generation of new towns with infrastructure in place first.",
    );
    b.node(
        "i5",
        intervention(
            Instrument::Convening,
            "Department for Business and Trade",
            0.0,
            "",
            Stage::InDelivery,
            date(2025, 6, 23),
            None,
            Risk::Medium,
            "",
        ),
        "Industrial Strategy sector plans",
        "Ten-year plans for eight growth-driving sectors.",
    );
    b.node(
        "i6",
        intervention(
            Instrument::GrantOrLoan,
            "Department for Business and Trade",
            25_600.0,
            "to 2034",
            Stage::InDelivery,
            None,
            None,
            Risk::Low,
            "",
        ),
        "British Business Bank growth finance",
        "More capital for scale-ups in every region.",
    );
    b.node(
        "i7",
        intervention(
            Instrument::Convening,
            "Ministry of Housing, Communities and Local Government",
            0.0,
            "",
            Stage::InDelivery,
            date(2025, 1, 1),
            None,
            Risk::Medium,
            "Capacity in smaller authorities.",
        ),
        "Local Growth Plans with mayors",
        "Strategic authorities set out local growth priorities.",
    );
    b.node(
        "i8",
        intervention(
            Instrument::Skills,
            "Department for Work and Pensions",
            0.0,
            "",
            Stage::InDelivery,
            date(2025, 4, 1),
            None,
            Risk::Medium,
            "",
        ),
        "Skills England and the Growth and Skills Levy",
        "Match training to the skills the economy needs.",
    );
    b.node(
        "i9",
        intervention(
            Instrument::PublicInvestment,
            "Department for Energy Security and Net Zero",
            8_300.0,
            "2025-26 to 2029-30",
            Stage::InDelivery,
            date(2025, 5, 1),
            None,
            Risk::Medium,
            "",
        ),
        "Great British Energy local and community power",
        "Publicly owned clean power company invests with communities.",
    );
    b.node(
        "i10",
        intervention(
            Instrument::Regulation,
            "Department for Energy Security and Net Zero",
            0.0,
            "",
            Stage::InDelivery,
            date(2025, 4, 15),
            None,
            Risk::High,
            "Queue reform may be challenged; supply chain constraints.",
        ),
        "Grid connections reform",
        "Reorder the connections queue so ready projects connect first.",
    );
    b.node(
        "i11",
        intervention(
            Instrument::Procurement,
            "Department for Energy Security and Net Zero",
            1_500.0,
            "per year",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "Auction prices and turbine supply.",
        ),
        "Contracts for Difference auction rounds",
        "Back offshore wind, onshore wind and solar through auctions.",
    );
    b.node(
        "i12",
        intervention(
            Instrument::GrantOrLoan,
            "Department for Energy Security and Net Zero",
            13_200.0,
            "2025-26 to 2029-30",
            Stage::Agreed,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "Warm Homes Plan",
        "Upgrade up to 5 million homes with insulation, heat pumps and solar.",
    );
    b.node(
        "i13",
        intervention(
            Instrument::Regulation,
            "Department for Energy Security and Net Zero",
            0.0,
            "",
            Stage::Completed,
            date(2024, 7, 8),
            date(2024, 7, 8),
            Risk::Low,
            "",
        ),
        "Lift the ban on onshore wind in England",
        "Onshore wind treated like other infrastructure in planning.",
    );
    b.node(
        "i14",
        intervention(
            Instrument::PublicInvestment,
            "Department for Energy Security and Net Zero",
            21_700.0,
            "over 25 years",
            Stage::InDelivery,
            None,
            None,
            Risk::High,
            "First-of-a-kind engineering.",
        ),
        "Carbon capture clusters",
        "Carbon capture, usage and storage in industrial clusters.",
    );
    b.node(
        "i15",
        intervention(Instrument::Regulation, "Ofgem", 0.0, "", Stage::Agreed, None, None, Risk::Medium, ""),
        "Network price control for grid investment",
        "Allow network companies to invest ahead of need.",
    );
    b.node(
        "i16",
        intervention(
            Instrument::PublicInvestment,
            "Home Office",
            200.0,
            "2025-26",
            Stage::InDelivery,
            date(2025, 4, 1),
            None,
            Risk::Medium,
            "Recruitment and retention of officers.",
        ),
        "Neighbourhood Policing Guarantee",
        "Named, contactable officers in every neighbourhood.",
    );
    b.node(
        "i17",
        intervention(Instrument::GrantOrLoan, "Home Office", 0.0, "", Stage::Proposed, None, None, Risk::Medium, ""),
        "Young Futures hubs",
        "Early support for young people at risk of being drawn into crime.",
    );
    b.node(
        "i18",
        intervention(
            Instrument::Regulation,
            "Home Office",
            0.0,
            "",
            Stage::InDelivery,
            date(2024, 9, 24),
            None,
            Risk::Low,
            "",
        ),
        "Ban on zombie-style knives and ninja swords",
        "Take dangerous weapons off the streets.",
    );
    b.node(
        "i19",
        intervention(Instrument::Regulation, "Home Office", 0.0, "", Stage::InDelivery, None, None, Risk::Medium, ""),
        "Domestic Abuse Protection Orders",
        "Stronger, quicker protection for victims.",
    );
    b.node(
        "i20",
        intervention(Instrument::Regulation, "Home Office", 0.0, "", Stage::Proposed, None, None, Risk::Low, ""),
        "Respect Orders for anti-social behaviour",
        "Powers to stop persistent anti-social behaviour.",
    );
    b.node(
        "i21",
        intervention(Instrument::Skills, "Home Office", 0.0, "", Stage::Idea, None, None, Risk::Medium, ""),
        "Police recruitment and training pipeline",
        "Recruit and train the neighbourhood workforce.",
    );
    b.node(
        "i22",
        intervention(
            Instrument::PublicInvestment,
            "Department for Education",
            80.0,
            "2025-26",
            Stage::InDelivery,
            date(2025, 4, 1),
            None,
            Risk::Low,
            "",
        ),
        "Free breakfast clubs in primary schools",
        "A free breakfast club in every primary school.",
    );
    b.node(
        "i23",
        intervention(
            Instrument::GrantOrLoan,
            "Department for Education",
            8_000.0,
            "per year",
            Stage::InDelivery,
            date(2024, 4, 1),
            None,
            Risk::High,
            "Provider capacity and staff.",
        ),
        "Funded childcare entitlements",
        "30 hours of funded childcare for working parents of children from nine months.",
    );
    b.node(
        "i24",
        intervention(
            Instrument::PublicInvestment,
            "Department for Education",
            45.0,
            "2025-26",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "School-based nurseries",
        "New nursery places in spare primary school rooms.",
    );
    b.node(
        "i25",
        intervention(
            Instrument::Convening,
            "Department for Education",
            500.0,
            "2025-26 to 2027-28",
            Stage::Agreed,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "Best Start family hubs",
        "One front door for families with young children.",
    );
    b.node(
        "i26",
        intervention(
            Instrument::Regulation,
            "Department for Education",
            0.0,
            "",
            Stage::Completed,
            date(2024, 7, 19),
            date(2025, 11, 5),
            Risk::Low,
            "",
        ),
        "Curriculum and assessment review",
        "A broader curriculum that prepares pupils for life and work.",
    );
    b.node(
        "i27",
        intervention(
            Instrument::Skills,
            "Department for Education",
            0.0,
            "",
            Stage::InDelivery,
            None,
            None,
            Risk::High,
            "Teacher pay and workload.",
        ),
        "Recruit 6,500 new teachers",
        "More expert teachers in the subjects and places that need them.",
    );
    b.node(
        "i28",
        intervention(
            Instrument::Skills,
            "Department for Work and Pensions",
            45.0,
            "2025-26",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "Youth Guarantee",
        "Training, an apprenticeship or help to find work for every 18-21 year old.",
    );
    b.node(
        "i29",
        intervention(
            Instrument::PublicInvestment,
            "Department of Health and Social Care",
            1_500.0,
            "2025-26",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "Workforce to staff extra capacity.",
        ),
        "Community diagnostic centres and surgical hubs",
        "More scans, tests and operations, open longer.",
    );
    b.node(
        "i30",
        intervention(
            Instrument::PublicInvestment,
            "Department of Health and Social Care",
            0.0,
            "",
            Stage::InDelivery,
            date(2024, 10, 1),
            None,
            Risk::Medium,
            "",
        ),
        "Extra 40,000 elective appointments a week",
        "Evening and weekend clinics to cut waiting lists.",
    );
    b.node(
        "i31",
        intervention(
            Instrument::DataAndDigital,
            "Department of Health and Social Care",
            2_000.0,
            "2025-26 to 2027-28",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "Legacy systems and data sharing.",
        ),
        "NHS App and single patient record",
        "Book, manage and see care online.",
    );
    b.node(
        "i32",
        intervention(
            Instrument::PublicInvestment,
            "Department of Health and Social Care",
            0.0,
            "",
            Stage::Proposed,
            None,
            None,
            Risk::High,
            "",
        ),
        "Neighbourhood health centres",
        "GPs, nurses, pharmacy and mental health under one roof.",
    );
    b.node(
        "i33",
        intervention(
            Instrument::Skills,
            "Department for Education",
            0.0,
            "",
            Stage::InDelivery,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "Mental health support teams in schools",
        "Specialist support in every school.",
    );
    b.node(
        "i34",
        intervention(
            Instrument::Regulation,
            "Department of Health and Social Care",
            0.0,
            "",
            Stage::Agreed,
            None,
            None,
            Risk::Low,
            "",
        ),
        "Tobacco and Vapes Act: smoke-free generation",
        "No one born after 2008 can legally be sold tobacco.",
    );
    b.node(
        "i35",
        intervention(
            Instrument::Convening,
            "Department of Health and Social Care",
            0.0,
            "",
            Stage::Agreed,
            date(2025, 7, 3),
            None,
            Risk::Medium,
            "",
        ),
        "10 Year Health Plan",
        "The three shifts: community, digital, prevention.",
    );
    b.node(
        "i36",
        intervention(
            Instrument::ResearchAndInnovation,
            "Department for Science, Innovation and Technology",
            86_000.0,
            "2025-26 to 2029-30",
            Stage::InDelivery,
            None,
            None,
            Risk::Low,
            "",
        ),
        "R&D funding for growth missions",
        "Record public investment in research and development.",
    );
    b.node(
        "i37",
        intervention(
            Instrument::DataAndDigital,
            "Department for Science, Innovation and Technology",
            0.0,
            "",
            Stage::Proposed,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "AI Opportunities Action Plan",
        "AI adoption in public services and growth zones.",
    );
    b.node(
        "i38",
        intervention(
            Instrument::Procurement,
            "Department for Business and Trade",
            0.0,
            "",
            Stage::Idea,
            None,
            None,
            Risk::Low,
            "",
        ),
        "Mission-led public procurement",
        "Use public buying power to back mission goals.",
    );
    b.node(
        "i39",
        intervention(Instrument::Tax, "HM Treasury", 0.0, "", Stage::InDelivery, None, None, Risk::Low, ""),
        "Full expensing for business investment",
        "Permanent capital allowances to drive investment.",
    );
    b.node(
        "i40",
        intervention(
            Instrument::GrantOrLoan,
            "Ministry of Housing, Communities and Local Government",
            0.0,
            "",
            Stage::Idea,
            None,
            None,
            Risk::Medium,
            "",
        ),
        "Devolution deals and integrated settlements",
        "Single pots of funding for strategic authorities.",
    );

    // Partners
    let p = |s: Sector, t: Tier, r: &str| partner(s, t, r);
    b.node(
        "p1",
        p(Sector::CentralGovernment, Tier::National, "Sets budgets and the spending review; owns the growth mission."),
        "HM Treasury",
        "",
    );
    b.node(
        "p2",
        p(Sector::CentralGovernment, Tier::National, "Leads the clean energy mission."),
        "Department for Energy Security and Net Zero",
        "",
    );
    b.node(
        "p3",
        p(Sector::CentralGovernment, Tier::National, "Leads the NHS mission."),
        "Department of Health and Social Care",
        "",
    );
    b.node(
        "p4",
        p(Sector::CentralGovernment, Tier::National, "Leads the opportunity mission."),
        "Department for Education",
        "",
    );
    b.node("p5", p(Sector::CentralGovernment, Tier::National, "Leads the safer streets mission."), "Home Office", "");
    b.node(
        "p6",
        p(Sector::CentralGovernment, Tier::National, "Housing, planning and local growth."),
        "Ministry of Housing, Communities and Local Government",
        "",
    );
    b.node("p7", p(Sector::ArmsLengthBody, Tier::National, "Runs the health service in England."), "NHS England", "");
    b.node(
        "p8",
        p(Sector::PublicFinanceInstitution, Tier::National, "Publicly owned clean power investor."),
        "Great British Energy",
        "",
    );
    b.node(
        "p9",
        p(Sector::PublicFinanceInstitution, Tier::National, "Crowds private capital into growth and clean energy."),
        "National Wealth Fund",
        "",
    );
    b.node(
        "p10",
        p(Sector::PublicFinanceInstitution, Tier::National, "Finance for smaller businesses."),
        "British Business Bank",
        "",
    );
    b.node("p11", p(Sector::ArmsLengthBody, Tier::National, "Energy regulator."), "Ofgem", "");
    b.node(
        "p12",
        p(
            Sector::DevolvedOrLocalGovernment,
            Tier::Regional,
            "Mayoral combined authority with an integrated settlement.",
        ),
        "Greater Manchester Combined Authority",
        "",
    );
    b.node(
        "p13",
        p(Sector::DevolvedOrLocalGovernment, Tier::Regional, "Mayoral combined authority."),
        "West Midlands Combined Authority",
        "",
    );
    b.node(
        "p14",
        p(Sector::DevolvedOrLocalGovernment, Tier::Local, "Councils run early years, planning and public health."),
        "Local authorities",
        "",
    );
    b.node(
        "p15",
        p(Sector::ArmsLengthBody, Tier::National, "Police leadership and workforce."),
        "National Police Chiefs' Council",
        "",
    );
    b.node(
        "p16",
        p(Sector::TradeUnion, Tier::National, "Voice of working people; skills and fair transition."),
        "Trades Union Congress",
        "",
    );
    b.node(
        "p17",
        p(Sector::Business, Tier::National, "Voice of large employers."),
        "Confederation of British Industry",
        "",
    );
    b.node(
        "p18",
        p(Sector::Business, Tier::National, "Voice of small businesses."),
        "Federation of Small Businesses",
        "",
    );
    b.node(
        "p19",
        p(Sector::AcademiaResearch, Tier::National, "Funds research and innovation."),
        "UK Research and Innovation",
        "",
    );
    b.node("p20", p(Sector::CivilSociety, Tier::National, "Support for victims of domestic abuse."), "Women's Aid", "");
    b.node(
        "p21",
        p(Sector::Business, Tier::National, "Energy developers building wind and solar."),
        "Clean energy developers",
        "",
    );
    b.node(
        "p22",
        p(Sector::CivilSociety, Tier::Local, "Early years and youth services."),
        "Charities and early years providers",
        "",
    );

    // Sub-missions contribute to missions
    for (s, m) in [
        ("s1", "m1"),
        ("s2", "m1"),
        ("s3", "m1"),
        ("s4", "m2"),
        ("s5", "m2"),
        ("s6", "m3"),
        ("s7", "m3"),
        ("s8", "m3"),
        ("s9", "m4"),
        ("s10", "m4"),
        ("s11", "m5"),
        ("s12", "m5"),
    ] {
        b.link(s, m, C, "A Plan for Change milestone on the way to the mission.", M, 80);
    }
    // Interventions contribute to sub-missions (and some straight to missions)
    let contributions: &[(&str, &str, &str, Evidence, u8)] = &[
        ("i1", "s1", "Public capital crowds in private investment in growth industries.", M, 60),
        ("i1", "s4", "Co-investment in ports, grid and clean industries speeds deployment.", M, 60),
        ("i2", "s2", "Faster, more certain planning lets more homes start.", M, 70),
        ("i2", "s3", "Streamlined consenting brings decisions forward.", S, 80),
        ("i3", "s2", "Grant funding makes social and affordable homes viable.", S, 80),
        ("i4", "s2", "New settlements add large sites beyond existing towns.", A, 40),
        ("i5", "s1", "Sector plans give investors certainty.", A, 50),
        ("i6", "s1", "Growth capital helps firms in every region scale up.", M, 60),
        ("i7", "s1", "Local priorities target barriers to growth where they are.", A, 50),
        ("i8", "s10", "Training matched to vacancies gets young people into work.", M, 60),
        ("i8", "m1", "A more skilled workforce raises productivity.", M, 60),
        ("i9", "s4", "Community and local energy adds clean capacity.", A, 50),
        ("i10", "s4", "Ready projects connect years sooner.", S, 80),
        ("i11", "s4", "Auctions secure the bulk of new clean capacity.", S, 90),
        ("i12", "s5", "Insulation and heat pumps cut bills and fuel poverty.", S, 80),
        ("i13", "s4", "Onshore wind is among the cheapest new power.", M, 70),
        ("i14", "m2", "Capturing industrial emissions is needed for net zero.", A, 40),
        ("i15", "s4", "Grid investment ahead of need unblocks connections.", M, 70),
        ("i16", "s6", "Funds forces to put officers back into neighbourhoods.", S, 80),
        ("i17", "s7", "Early intervention keeps young people out of knife crime.", M, 50),
        ("i18", "s7", "Fewer lethal weapons in circulation.", A, 40),
        ("i19", "s8", "Orders protect victims and manage perpetrators.", M, 60),
        ("i20", "m3", "Tackling anti-social behaviour restores confidence.", A, 40),
        ("i21", "s6", "A recruitment pipeline fills the new posts.", M, 60),
        ("i22", "s9", "A good breakfast helps children arrive ready to learn.", M, 60),
        ("i23", "s9", "Good early education narrows the development gap.", S, 80),
        ("i24", "s9", "More nursery places where they are short.", M, 60),
        ("i25", "s9", "Family support reaches parents early.", M, 60),
        ("i26", "s10", "A broader curriculum keeps more young people engaged.", A, 40),
        ("i27", "m4", "Expert teachers are the biggest in-school factor.", S, 80),
        ("i28", "s10", "A guaranteed offer for every young person.", M, 60),
        ("i29", "s11", "More diagnostic and surgical capacity treats more patients.", S, 80),
        ("i30", "s11", "Extra appointments cut the waiting list.", S, 80),
        ("i31", "s12", "Digital access lets patients manage care outside hospital.", A, 50),
        ("i31", "s11", "Digital booking and referral cut delays.", A, 50),
        ("i32", "s12", "Care closer to home in every neighbourhood.", M, 50),
        ("i33", "m4", "Mental health support keeps pupils in learning.", M, 50),
        ("i33", "m5", "Early mental health support reduces later demand.", M, 50),
        ("i34", "m5", "Fewer smokers means fewer lives lost to the biggest killers.", S, 90),
        ("i35", "s12", "The plan sets the shift from hospital to community.", A, 50),
        ("i36", "s1", "Research and innovation raise productivity.", M, 60),
        ("i37", "s1", "AI adoption raises productivity in the economy and public services.", A, 30),
        ("i38", "m2", "Public demand creates markets for clean technologies.", A, 30),
        ("i39", "s1", "Investment incentives raise business investment.", M, 60),
        ("i40", "s1", "Devolved funding lets places invest in their own growth.", M, 50),
    ];
    for (i, s, why, ev, conf) in contributions {
        b.link(i, s, C, why, *ev, *conf);
    }
    // Enabling interventions
    for (a, z, why) in [
        ("i10", "i11", "Projects that win auctions need a grid connection."),
        ("i15", "i10", "Network investment makes the reformed queue deliverable."),
        ("i2", "i4", "New towns need the reformed planning system."),
        ("i21", "i16", "The guarantee needs recruits to fill the posts."),
        ("i31", "i32", "Neighbourhood centres rely on a shared patient record."),
        ("i40", "i7", "Integrated settlements fund the local growth plans."),
    ] {
        b.link(a, z, E, why, A, 60);
    }
    // Partners deliver, fund and support
    let partner_links: &[(&str, &str, LinkKind)] = &[
        ("p1", "i39", D),
        ("p1", "i1", F),
        ("p1", "m1", SU),
        ("p2", "i10", D),
        ("p2", "i11", D),
        ("p2", "i12", D),
        ("p2", "i14", F),
        ("p3", "i35", D),
        ("p3", "i34", D),
        ("p4", "i22", D),
        ("p4", "i23", F),
        ("p4", "i27", D),
        ("p4", "i26", D),
        ("p5", "i16", F),
        ("p5", "i18", D),
        ("p5", "i19", D),
        ("p5", "i20", D),
        ("p6", "i2", D),
        ("p6", "i3", F),
        ("p6", "i4", D),
        ("p6", "i40", D),
        ("p7", "i29", D),
        ("p7", "i30", D),
        ("p7", "i31", D),
        ("p7", "i32", D),
        ("p7", "i33", D),
        ("p8", "i9", D),
        ("p8", "i9", F),
        ("p9", "i1", D),
        ("p9", "i14", F),
        ("p10", "i6", D),
        ("p11", "i15", D),
        ("p11", "i10", D),
        ("p12", "i7", D),
        ("p12", "i3", D),
        ("p12", "i25", D),
        ("p13", "i7", D),
        ("p13", "i28", D),
        ("p14", "i24", D),
        ("p14", "i25", D),
        ("p14", "i17", D),
        ("p14", "s2", SU),
        ("p15", "i16", D),
        ("p15", "i21", D),
        ("p15", "s7", SU),
        ("p16", "i8", D),
        ("p16", "m2", SU),
        ("p17", "i5", D),
        ("p17", "m1", SU),
        ("p18", "i6", D),
        ("p18", "i38", D),
        ("p19", "i36", D),
        ("p19", "i37", D),
        ("p20", "i19", D),
        ("p20", "s8", SU),
        ("p21", "i11", D),
        ("p21", "i13", D),
        ("p21", "s4", SU),
        ("p22", "i23", D),
        ("p22", "i22", D),
        ("p22", "i17", D),
    ];
    for (p, t, k) in partner_links {
        b.link(p, t, *k, "", Evidence::None, 0);
    }

    // Tags
    for (id, tag) in [
        ("i1", "investment"),
        ("i9", "investment"),
        ("i14", "investment"),
        ("i23", "early years"),
        ("i24", "early years"),
        ("i25", "early years"),
    ] {
        b.map.update_node(&NodeId::new(id).unwrap(), |n| n.tags.push(tag.to_owned())).unwrap();
    }

    // The last board meeting, before this quarter's figures came in: the board pack reports what
    // changed since.
    let meeting =
        missionboard::model::workshop::snapshot(&b.map, "Board meeting 3", NaiveDate::from_ymd_opt(2026, 9, 15));
    b.map.workshop.snapshots.push(meeting);
    add_readings(&mut b.map);
    add_decisions(&mut b.map);
    place(&mut b.map);
    // Then the same auto-layout the editor's Lay out command uses.
    // Shaped for the editor's canvas on a 1280×720 projector (the window less the inspector).
    let opts = missionboard::layout::Options { aspect: 1.45, ..missionboard::layout::Options::default() };
    let result = missionboard::layout::layout(&b.map, &opts);
    let mut doc = missionboard::command::Document::new(b.map);
    doc.apply("Lay out", missionboard::layout::command(doc.map(), &result)).unwrap();
    let mut map = doc.map().clone();
    map.meta.modified = map.meta.created;
    print!("{}", missionboard::io::to_string(&map));
}

/// Illustrative readings, so a new user sees statuses at once: every indicator with a target and a
/// deadline gets a baseline date (July 2024, when the missions were set) and quarterly readings to
/// September 2026 that run at a set share of the trajectory — some ahead, some behind — with one left
/// without readings and one stopped early (stale). Figures are made up and say so.
fn add_readings(map: &mut MissionMap) {
    use missionboard::model::progress::Measure;
    use missionboard::model::{Reading, Target};
    // The share of the expected progress each indicator achieves, in turn.
    const PACE: [f64; 7] = [1.05, 0.9, 0.6, 1.0, 0.85, 1.2, 0.7];
    let start = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
    // Quarter ends from September 2024 to September 2026.
    let quarters: Vec<NaiveDate> = (0..9)
        .map(|q| {
            let (y, m) = (2024 + (9 + q * 3) / 12, (9 + q * 3) % 12 + 1);
            NaiveDate::from_ymd_opt(y, m.unsigned_abs(), 1).unwrap().pred_opt().unwrap()
        })
        .collect();
    let series = |m: Measure<'_>, baseline: f64, pace: f64, last: usize| -> Vec<Reading> {
        quarters[..last]
            .iter()
            .map(|&q| {
                let expected = m.expected(q).unwrap_or(baseline);
                let value = ((baseline + (expected - baseline) * pace) * 10.0).round() / 10.0;
                Reading {
                    id: missionboard::model::ItemId::default(),
                    date: q,
                    value,
                    note: String::new(),
                    source: "Illustrative figure (sample)".to_owned(),
                }
            })
            .collect()
    };
    let mut k = 0usize;
    let ids: Vec<NodeId> = map.sorted_nodes().into_iter().map(|n| n.id.clone()).collect();
    for id in ids {
        map.update_node(&id, |n| match &mut n.kind {
            NodeKind::SubMission { indicators, .. } => {
                for ind in indicators {
                    // A target of 0 without a baseline is a placeholder: leave it without readings.
                    let (Some(target), Some(_)) = (ind.target, ind.deadline) else { continue };
                    if target == 0.0 && ind.baseline.is_none() {
                        continue;
                    }
                    k += 1;
                    if k.is_multiple_of(9) {
                        continue; // no readings yet
                    }
                    let baseline = ind.baseline.unwrap_or(target * 0.7);
                    ind.baseline = Some(baseline);
                    ind.baseline_date = Some(start);
                    let last = if k.is_multiple_of(5) { 3 } else { quarters.len() };
                    ind.readings = series(Measure::of_indicator(ind), baseline, PACE[k % PACE.len()], last);
                }
            }
            NodeKind::Mission { target, .. } => {
                let Target { baseline: Some(baseline), deadline: Some(_), .. } = *target else { return };
                k += 1;
                target.baseline_date = Some(start);
                "quarterly".clone_into(&mut target.frequency);
                target.readings = series(Measure::of_target(target), baseline, PACE[k % PACE.len()], quarters.len());
            }
            _ => {}
        })
        .unwrap();
    }
}

/// Illustrative decisions and actions of the board, so the board pack has some to show.
fn add_decisions(map: &mut MissionMap) {
    use missionboard::model::{ActionItem, Decision, DecisionKind};
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let decide = |map: &mut MissionMap, id: &str, decision: Decision| {
        map.update_node(&NodeId::new(id).unwrap(), |n| {
            if let NodeKind::Intervention { decisions, .. } = &mut n.kind {
                decisions.push(decision);
            }
        })
        .unwrap();
    };
    let board = "Mission board".to_owned();
    decide(
        map,
        "i1",
        Decision {
            id: missionboard::model::ItemId::default(),
            date: d(2026, 9, 15),
            decision: DecisionKind::Scale,
            who: board.clone(),
            why: "Private capital followed at 3:1; widen to grid and ports.".to_owned(),
        },
    );
    decide(
        map,
        "i4",
        Decision {
            id: missionboard::model::ItemId::default(),
            date: d(2026, 9, 15),
            decision: DecisionKind::Explore,
            who: board.clone(),
            why: "Test two sites before committing the programme.".to_owned(),
        },
    );
    decide(
        map,
        "i12",
        Decision {
            id: missionboard::model::ItemId::default(),
            date: d(2026, 6, 10),
            decision: DecisionKind::Fix,
            who: board,
            why: "Installer shortages: add a skills strand with Skills England.".to_owned(),
        },
    );
    map.actions = vec![
        ActionItem {
            id: missionboard::model::ItemId::default(),
            what: "Bring Q3 grid connection figures to the next meeting".to_owned(),
            owner: "DESNZ analysts".to_owned(),
            due: Some(d(2026, 12, 10)),
            done: false,
        },
        ActionItem {
            id: missionboard::model::ItemId::default(),
            what: "Agree the two new-town test sites".to_owned(),
            owner: "MHCLG".to_owned(),
            due: Some(d(2026, 11, 20)),
            done: false,
        },
        ActionItem {
            id: missionboard::model::ItemId::default(),
            what: "Publish the mission dashboard".to_owned(),
            owner: "Missions Unit".to_owned(),
            due: Some(d(2026, 10, 1)),
            done: true,
        },
    ];
}

/// Columns per mission: the mission on top, its sub-missions, its interventions, and partners at the
/// bottom in one row.
fn place(map: &mut MissionMap) {
    let home: Vec<(&str, usize)> = [("m1", 0), ("m2", 1), ("m3", 2), ("m4", 3), ("m5", 4)].into_iter().collect();
    let col_w = 1000.0_f32;
    let mut per_col_sub = [0usize; 5];
    let mut per_col_int = [0usize; 5];
    let ids: Vec<NodeId> = map.sorted_nodes().iter().map(|n| n.id.clone()).collect();
    let mut partner_n = 0;
    for id in ids {
        let kind = map.node(&id).unwrap().kind();
        let col = match kind {
            Kind::Mission => home.iter().find(|(m, _)| *m == id.as_str()).map_or(0, |(_, c)| *c),
            Kind::SubMission => {
                let m = map.links_from(&id).next().unwrap().to.clone();
                home.iter().find(|(h, _)| *h == m.as_str()).map_or(0, |(_, c)| *c)
            }
            Kind::Intervention => {
                let first = map.links_from(&id).find(|l| l.kind == LinkKind::ContributesTo).unwrap().to.clone();
                let target = map.node(&first).unwrap();
                let m = if target.kind() == Kind::Mission {
                    first
                } else {
                    map.links_from(&first).next().unwrap().to.clone()
                };
                home.iter().find(|(h, _)| *h == m.as_str()).map_or(0, |(_, c)| *c)
            }
            Kind::Partner => 0,
        };
        let x0 = col as f32 * col_w;
        let place = match kind {
            Kind::Mission => Placement::at(x0 + 460.0, 0.0),
            Kind::SubMission => {
                let k = per_col_sub[col];
                per_col_sub[col] += 1;
                Placement::at(
                    x0 + 130.0 + k as f32 * 240.0 + if per_col_sub_total(col) == 2 { 120.0 } else { 0.0 },
                    200.0,
                )
            }
            Kind::Intervention => {
                let k = per_col_int[col];
                per_col_int[col] += 1;
                Placement::at(x0 + 130.0 + (k % 4) as f32 * 240.0, 400.0 + (k / 4) as f32 * 130.0)
            }
            Kind::Partner => {
                let k = partner_n;
                partner_n += 1;
                Placement::at(
                    130.0 + (k % 11) as f32 * 440.0 + (k / 11) as f32 * 220.0,
                    900.0 + (k / 11) as f32 * 130.0,
                )
            }
        };
        map.set_placement(&id, place).unwrap();
    }
    fn per_col_sub_total(col: usize) -> usize {
        [3, 2, 3, 2, 2][col]
    }
}
