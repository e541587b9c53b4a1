//! The editor application: owns the document and the view, runs the UI and applies what it asks.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::io;
use crate::model::MissionMap;
use crate::sample;
use crate::ui::canvas::{self, View};

/// The running app.
pub struct MissionboardApp {
    map: MissionMap,
    path: Option<PathBuf>,
    view: View,
    fit_pending: bool,
    message: Option<String>,
}

impl MissionboardApp {
    /// Opens `file`, or the UK missions sample when there is none. A file that cannot be read opens
    /// nothing but says why; the file itself is never touched.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, file: Option<PathBuf>) -> MissionboardApp {
        configure_style(&cc.egui_ctx);
        let (map, path, message) = match file {
            None => (sample::uk_missions(), None, None),
            Some(p) => match io::load_path(&p) {
                Ok(loaded) => (loaded.map, Some(p), loaded.warnings.first().cloned()),
                Err(err) => (
                    sample::blank(),
                    None,
                    Some(format!("Could not open {}:\n{}", p.display(), err.problems().join("\n"))),
                ),
            },
        };
        MissionboardApp { map, path, view: View::default(), fit_pending: true, message }
    }

    /// The map being edited.
    #[must_use]
    pub fn map(&self) -> &MissionMap {
        &self.map
    }

    fn title(&self) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| self.map.meta.title.clone(), |n| n.to_string_lossy().into_owned());
        format!("{name} — Missionboard")
    }
}

fn configure_style(ctx: &egui::Context) {
    ctx.global_style_mut(|style| {
        style.interaction.selectable_labels = false;
    });
}

impl eframe::App for MissionboardApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let title = self.title();
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title));
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(&self.map.meta.title);
                ui.separator();
                ui.label(format!("{} cards, {} links", self.map.node_count(), self.map.link_count()));
                if ui.button("Zoom to fit").on_hover_text("Show the whole map (F)").clicked() {
                    self.fit_pending = true;
                }
            });
            if let Some(msg) = &self.message {
                ui.colored_label(egui::Color32::from_rgb(0x9A, 0x1B, 0x1B), msg);
            }
        });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            if ui.input(|i| i.key_pressed(egui::Key::F)) {
                self.fit_pending = true;
            }
            if self.fit_pending
                && let Some(bounds) = canvas::map_bounds(&self.map)
            {
                self.view = View::fit(bounds, ui.available_size());
                self.fit_pending = false;
            }
            canvas::show(ui, &self.map, &mut self.view);
        });
    }
}

/// Starts the window. Returns the process exit code.
#[must_use]
pub fn run_native(file: Option<PathBuf>) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Missionboard")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    match eframe::run_native("Missionboard", options, Box::new(|cc| Ok(Box::new(MissionboardApp::new(cc, file))))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "Missionboard could not open its window: {e}\nThe command-line tools still work: run `missionboard --help`."
            );
            ExitCode::from(crate::cli::FAILED)
        }
    }
}
