//! The dialogs over the editor: unsaved changes, file paths, export with a preview, restoring
//! autosaves, a file changed on disk, and messages.

use std::path::{Path, PathBuf};

use egui::{Id, Key, RichText};

use super::{Dialog, MissionboardApp, PathPurpose};
use crate::export::{Format, Page};
use crate::io;

impl MissionboardApp {
    pub(super) fn dialogs(&mut self, ctx: &egui::Context, ui: &mut egui::Ui) {
        let Some(dialog) = self.dialog.clone() else {
            // The next dialog's path box takes the keyboard again when it opens (once, as the
            // dialog closes: not every frame).
            if std::mem::take(&mut self.dialog_was_open) {
                crate::ui::path_field::reset(ctx);
            }
            return;
        };
        self.dialog_was_open = true;
        let mut close = false;
        let kind = std::mem::discriminant(&dialog);
        match dialog {
            Dialog::Unsaved(then) => {
                egui::Modal::new(Id::unique("unsaved")).show(ui.ctx(), |ui| {
                    ui.heading("Save your changes?");
                    ui.label(format!("\"{}\" has changes that are not saved.", self.map().meta.title));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            close = true;
                            if self.save() {
                                self.pending_then = Some(then.clone());
                            }
                        }
                        if ui.button("Don't save").clicked() {
                            close = true;
                            self.pending_then = Some(then.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Path { purpose, mut text, waiting, copies } => {
                let title = purpose.title();
                let mut go = false;
                egui::Modal::new(Id::unique("path")).show(ui.ctx(), |ui| {
                    ui.heading(title);
                    if !copies.is_empty() {
                        // The copies handed out beside the map: a click (or Tab and Enter) merges one.
                        ui.label("Copies handed out from this map (newest first): choose one, or give a path below.");
                        let height = (ui.ctx().content_rect().height() * 0.35).max(80.0);
                        egui::ScrollArea::vertical().max_height(height).show(ui, |ui| {
                            for c in &copies {
                                let current = text.trim() == c.path.display().to_string();
                                let r = ui
                                    .selectable_label(current, &c.label)
                                    .on_hover_text(format!("Merge {}", c.path.display()));
                                if r.clicked() {
                                    text = c.path.display().to_string();
                                    go = true;
                                }
                            }
                        });
                        ui.add_space(4.0);
                    }
                    let l = ui.label("File path");
                    let (_, entered) = crate::ui::path_field::show(ui, &mut text, 520.0, l.id);
                    go |= entered;
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(!waiting, egui::Button::new("Browse…"))
                            .on_hover_text("Choose with the system's file dialog")
                            .clicked()
                        {
                            self.browse(ctx, &purpose);
                            if let Some(Dialog::Path { waiting, .. }) = &mut self.dialog {
                                *waiting = true;
                            }
                        }
                        if ui.button(purpose.button()).clicked() {
                            go = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                    if waiting {
                        ui.label("Waiting for the file dialog…");
                    }
                });
                if let Some(Dialog::Path { text: t, .. }) = &mut self.dialog {
                    t.clone_from(&text);
                }
                if go && !text.trim().is_empty() && PathBuf::from(text.trim()).is_dir() {
                    // A folder is not a file: say so and keep the dialog (and what was typed) open.
                    self.ed.warn(format!("{} is a folder: add the file's name after it.", text.trim()));
                } else if go && !text.trim().is_empty() {
                    let mut path = PathBuf::from(text.trim());
                    self.ed.status = None;
                    match purpose {
                        PathPurpose::Open => self.open_path(&path),
                        PathPurpose::Compare => self.compare_with(&path),
                        PathPurpose::Merge => self.merge_copy(&path),
                        PathPurpose::Workbook => {
                            if path.extension().is_none() {
                                path.set_extension("xlsx");
                            }
                            self.export_workbook(&path);
                        }
                        PathPurpose::Pack => {
                            if path.extension().is_none() {
                                path.set_extension("pdf");
                            }
                            self.write_board_pack(&path);
                        }
                        PathPurpose::SaveAs => {
                            if path.extension().is_none() {
                                path.set_extension(io::format::EXTENSION);
                            }
                            self.save_to(&path);
                        }
                    }
                    // What went wrong is said in the status bar, with the dialog still open to
                    // mend the path.
                    close = !self.ed.status.as_ref().is_some_and(|s| s.error);
                }
            }
            Dialog::Export { mut path } => {
                let mut go = false;
                let before = self.ed.settings.export.clone();
                // At large text sizes the screen holds fewer points: the choices and the preview
                // scroll, and the path and the buttons stay in view.
                let screen = ui.ctx().content_rect();
                let wide = 680.0f32.min(screen.width() - 80.0).max(200.0);
                egui::Modal::new(Id::unique("export")).show(ui.ctx(), |ui| {
                    ui.set_max_width(wide + 40.0);
                    ui.heading("Export picture");
                    egui::ScrollArea::vertical().max_height((screen.height() - 220.0).max(120.0)).show(ui, |ui| {
                        let c = &mut self.ed.settings.export;
                        egui::ComboBox::from_label("Format").selected_text(c.format.label()).show_ui(ui, |ui| {
                            for f in Format::ALL {
                                ui.selectable_value(&mut c.format, f, f.label());
                            }
                        });
                        ui.checkbox(&mut c.selection_only, "Only the selected cards");
                        if c.format.has_scale() {
                            ui.add(
                                egui::Slider::new(&mut c.scale, 1.0..=4.0)
                                    .step_by(0.5)
                                    .text("Scale (pixels per point)"),
                            );
                        }
                        if c.format.has_page() {
                            egui::ComboBox::from_label("Paper").selected_text(c.page.label()).show_ui(ui, |ui| {
                                for p in Page::ALL {
                                    ui.selectable_value(&mut c.page, p, p.label());
                                }
                            });
                            if c.page != Page::Natural {
                                ui.checkbox(&mut c.layout_for_page, "Lay out for the page (keeps titles readable)")
                                    .on_hover_text(
                                        "Arranges the cards afresh to fill the paper; the map itself does not change. \
                                         Untick to print the map as it is drawn, shrunk to fit.",
                                    );
                                if c.format == Format::Pdf {
                                    ui.checkbox(&mut c.per_mission, "A page for each mission (after the overview)");
                                }
                            }
                        }
                        let editor_theme = self.ed.settings.theme;
                        let shown = |t: Option<crate::style::Theme>| match t {
                            Some(t) => t.label().to_owned(),
                            None => format!("As in the editor ({})", editor_theme.label()),
                        };
                        egui::ComboBox::from_label("Theme").selected_text(shown(c.theme)).show_ui(ui, |ui| {
                            ui.selectable_value(&mut c.theme, None, shown(None));
                            for t in crate::style::Theme::ALL {
                                ui.selectable_value(&mut c.theme, Some(t), t.label());
                            }
                        });
                        ui.horizontal(|ui| {
                            ui.checkbox(&mut c.transparent, "Transparent background");
                            ui.checkbox(&mut c.title_block, "Title block");
                            ui.checkbox(&mut c.legend, "Legend");
                        });
                        // The preview, redrawn when a choice changes.
                        let key = format!("{c:?}{editor_theme:?}{}", self.ed.doc.revision());
                        if self.preview.as_ref().is_none_or(|(k, _)| *k != key) {
                            let mut small = c.options(&self.ed.cursor.selection, editor_theme);
                            small.scale = 0.25;
                            if let Ok((w, h, rgba, _)) = crate::export::render::to_rgba(self.ed.doc.map(), &small) {
                                let img = egui::ColorImage::from_rgba_unmultiplied([w as usize, h as usize], &rgba);
                                let tex = ui.ctx().load_texture("export_preview", img, egui::TextureOptions::LINEAR);
                                self.preview = Some((key, tex));
                            }
                        }
                        if let Some((_, tex)) = &self.preview {
                            let size = tex.size_vec2();
                            let fit = (wide / size.x).min(260.0f32.min(screen.height() * 0.3) / size.y).min(2.0);
                            ui.add(
                                egui::Image::new((tex.id(), size * fit)).alt_text("Preview of the exported picture"),
                            );
                        }
                    });
                    let l = ui.label("Save to");
                    let (_, entered) = crate::ui::path_field::show(ui, &mut path, wide, l.id);
                    // Enter presses Export wherever the keyboard is in the dialog (not in a list).
                    let enter_elsewhere =
                        ui.input(|i| i.key_pressed(Key::Enter)) && ui.memory(|m| m.focused().is_none());
                    go |= entered || enter_elsewhere;
                    ui.horizontal(|ui| {
                        if ui.button("Export").clicked() {
                            go = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
                if self.ed.settings.export.format != before.format {
                    let p = PathBuf::from(&path).with_extension(self.ed.settings.export.format.extension());
                    path = p.display().to_string();
                }
                if let Some(Dialog::Export { path: p }) = &mut self.dialog {
                    p.clone_from(&path);
                }
                if go {
                    close = self.export_to(Path::new(path.trim()));
                }
            }
            Dialog::Recover(ref found) => {
                let mut restore = None;
                let mut discard = None;
                egui::Modal::new(Id::unique("recover")).show(ui.ctx(), |ui| {
                    ui.set_max_width(680.0);
                    ui.heading("Restore unsaved work?");
                    ui.label("Missionboard did not close cleanly last time. It kept these unsaved changes:");
                    egui::ScrollArea::vertical().max_height(crate::ui::list_height(ui.ctx(), 420.0)).show(ui, |ui| {
                        for (i, (orphan, summary)) in found.iter().enumerate() {
                            ui.group(|ui| {
                                ui.label(RichText::new(&orphan.info.title).strong());
                                let when =
                                    orphan.info.saved_at.with_timezone(&chrono::Local).format("%e %b %Y at %H:%M");
                                ui.label(format!("Autosaved {when}. {summary}"));
                                ui.horizontal(|ui| {
                                    if ui
                                        .button("Restore")
                                        .on_hover_text("Open these changes; save them to keep them")
                                        .clicked()
                                    {
                                        restore = Some(i);
                                    }
                                    if ui.button("Discard").on_hover_text("Delete this autosave for good").clicked() {
                                        discard = Some(i);
                                    }
                                });
                            });
                        }
                    });
                    if ui.button("Decide later").on_hover_text("Keep the autosaves and ask again next time").clicked() {
                        close = true;
                    }
                });
                if let Some(i) = discard {
                    found[i].0.discard();
                    let rest: Vec<_> =
                        found.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, f)| f.clone()).collect();
                    self.dialog = if rest.is_empty() { None } else { Some(Dialog::Recover(rest)) };
                }
                if let Some(i) = restore {
                    self.restore(&found[i].0, ctx.input(|inp| inp.time));
                    self.dialog = None;
                }
            }
            Dialog::ChangedOnDisk(ref path) => {
                egui::Modal::new(Id::unique("changed")).show(ui.ctx(), |ui| {
                    ui.set_max_width(640.0);
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by someone or something else (a colleague, a sync tool) since you opened it. What should happen?",
                        path.display()
                    ));
                    ui.horizontal_wrapped(|ui| {
                        if ui.button("Save mine as a new file…").clicked() {
                            close = true;
                            let text = crate::editor::files::copy_beside(path).display().to_string();
                            self.dialog = Some(Dialog::Path { purpose: PathPurpose::SaveAs, text, waiting: false, copies: Vec::new() });
                        }
                        if ui.button("Overwrite with mine").on_hover_text("Their changes are replaced by yours").clicked() {
                            close = true;
                            self.files.overwrite_ok = true;
                            self.save_to(&path.clone());
                        }
                        if ui.button("Reload theirs").on_hover_text("Your unsaved changes are dropped").clicked() {
                            close = true;
                            self.open_path(&path.clone());
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Grants => close = self.grants_dialog(ui),
            Dialog::Message { ref title, ref body } => {
                egui::Modal::new(Id::unique("message")).show(ui.ctx(), |ui| {
                    ui.set_max_width(640.0);
                    ui.heading(title);
                    ui.label(body);
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                });
            }
        }
        if close {
            // A dialog that opened another (Save → Save as…) leaves the new one in place.
            if self.dialog.as_ref().is_some_and(|d| std::mem::discriminant(d) == kind) {
                self.dialog = None;
            }
            self.focus_canvas = true;
        }
    }
}
