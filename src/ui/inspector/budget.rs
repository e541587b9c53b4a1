//! An intervention's budget lines as a small table: amount, currency, year and status on one row,
//! the department or fund it comes from under it; delete a line, add one. Every cell has its own
//! accessible name ("Budget line 2: year"). The inspector turns the changed card into one
//! `UpdateNode` command, so each edit can be undone.

use egui::{Id, RichText, Ui};

use crate::model::money::parse_amount;
use crate::model::{BudgetLine, BudgetStatus, BudgetYear};

const AMOUNT_W: f32 = 70.0;
const CURRENCY_W: f32 = 52.0;
const YEAR_W: f32 = 74.0;
const STATUS_W: f32 = 84.0;

/// Gives a cell the accessible name `name` (the table's headers say what a column is to the eye).
fn named(r: &egui::Response, role: egui::Role, name: &str) {
    r.widget_info(|| egui::WidgetInfo::labeled(role, r.enabled(), name));
}

/// A cell of text that is applied only when `parse` takes it; otherwise it stays red with `hint`
/// under the table. Returns the problem, if any.
fn parsed_cell<T>(
    ui: &mut Ui,
    (id, name, width): (Id, &str, f32),
    shown: String,
    parse: impl Fn(&str) -> Option<T>,
    apply: impl FnOnce(T),
) -> bool {
    let mut text = ui.data(|d| d.get_temp::<String>(id)).unwrap_or(shown);
    let r = ui.add(egui::TextEdit::singleline(&mut text).id(id).desired_width(width));
    named(&r, egui::Role::TextInput, name);
    let value = parse(&text);
    let bad = value.is_none();
    if let Some(v) = value
        && r.changed()
    {
        apply(v);
    }
    if r.has_focus() {
        ui.data_mut(|d| d.insert_temp(id, text));
    } else {
        ui.data_mut(|d| d.remove::<String>(id));
    }
    bad
}

fn amount_of(text: &str) -> Option<f64> {
    let t = text.trim();
    parse_amount(t).or_else(|| t.parse::<f64>().ok().filter(|v| *v == 0.0))
}

/// An empty year (none), or one that parses; `Err` otherwise.
fn year_of(text: &str) -> Result<Option<BudgetYear>, ()> {
    if text.trim().is_empty() { Ok(None) } else { BudgetYear::parse(text).map(Some).ok_or(()) }
}

fn amount_text(v: f64) -> String {
    super::fields::fmt_num(v)
}

/// The table of `lines`; edits them in place.
pub(super) fn budget_lines(ui: &mut Ui, id: Id, lines: &mut Vec<BudgetLine>) {
    ui.label(RichText::new(format!("Budget lines ({})", lines.len())).strong());
    if !lines.is_empty() {
        ui.horizontal(|ui| {
            for (h, w) in [("Amount", AMOUNT_W), ("Currency", CURRENCY_W), ("Year", YEAR_W), ("Status", STATUS_W)] {
                ui.add_sized([w, 14.0], egui::Label::new(RichText::new(h).small().strong()));
            }
        });
    }
    let mut remove = None;
    let (mut bad_amount, mut bad_year) = (false, false);
    for (i, line) in lines.iter_mut().enumerate() {
        let n = i + 1;
        let row = id.with(("line", i));
        ui.horizontal(|ui| {
            bad_amount |= parsed_cell(
                ui,
                (row.with("amount"), &format!("Budget line {n}: amount"), AMOUNT_W),
                amount_text(line.amount),
                amount_of,
                |v| line.amount = v,
            );
            let mut currencies = vec!["GBP", "EUR", "USD"];
            if !currencies.contains(&line.currency.as_str()) {
                currencies.push(line.currency.as_str());
            }
            let currencies: Vec<String> = currencies.into_iter().map(str::to_owned).collect();
            let c = egui::ComboBox::from_id_salt(row.with("currency"))
                .selected_text(line.currency.clone())
                .width(CURRENCY_W)
                .show_ui(ui, |ui| {
                    for c in &currencies {
                        ui.selectable_value(&mut line.currency, c.clone(), c);
                    }
                });
            named(&c.response, egui::Role::ComboBox, &format!("Budget line {n}: currency"));
            bad_year |= parsed_cell(
                ui,
                (row.with("year"), &format!("Budget line {n}: year"), YEAR_W),
                line.year.map(BudgetYear::text).unwrap_or_default(),
                |t| year_of(t).ok(),
                |v| line.year = v,
            );
            let s = egui::ComboBox::from_id_salt(row.with("status"))
                .selected_text(line.status.label())
                .width(STATUS_W)
                .show_ui(ui, |ui| {
                    for &st in BudgetStatus::ALL {
                        ui.selectable_value(&mut line.status, st, st.label());
                    }
                });
            named(&s.response, egui::Role::ComboBox, &format!("Budget line {n}: status"));
        });
        ui.horizontal(|ui| {
            ui.label(RichText::new("from").small());
            let r = ui.add(
                egui::TextEdit::singleline(&mut line.source)
                    .desired_width((ui.available_width() - 70.0).max(80.0))
                    .hint_text("department or fund"),
            );
            named(&r, egui::Role::TextInput, &format!("Budget line {n}: from"));
            let d = ui.small_button("Delete").on_hover_text("Delete this budget line");
            named(&d, egui::Role::Button, &format!("Delete budget line {n}"));
            if d.clicked() {
                remove = Some(i);
            }
        });
    }
    let error = crate::ui::theme::error_colour(ui.ctx());
    if bad_amount {
        ui.colored_label(error, "Not an amount: write it like 1500, 25m, 1.5bn or 300k");
    }
    if bad_year {
        ui.colored_label(error, "Not a year: write a financial year such as 2025-26 or a calendar year such as 2026");
    }
    if let Some(i) = remove {
        lines.remove(i);
    }
    if ui.button("Add a budget line").on_hover_text("A planned line in the currency and year of the last one").clicked()
    {
        let last = lines.last();
        lines.push(BudgetLine {
            currency: last.map_or_else(|| "GBP".to_owned(), |l| l.currency.clone()),
            year: last.and_then(|l| l.year),
            source: last.map(|l| l.source.clone()).unwrap_or_default(),
            ..BudgetLine::new(0.0)
        });
    }
}
