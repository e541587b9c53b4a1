//! Missionboard: an offline editor for the theory of change of a government mission.
//!
//! `model` holds the domain (no egui), `command` the only way to change a document, `io` the file
//! formats, `layout` the placement of cards, `export` pictures and reports, `editor` the editor core
//! (what a person can ask and what it does; no egui), `ui` the egui panels, `app` the thin shell
//! that joins them in a window, `cli` the headless commands, `room` the workshop room (a web server on the facilitator's laptop,
//! only while a room is open).

pub mod app;
pub mod cli;
pub mod command;
pub mod editor;
pub mod export;
pub mod io;
pub mod layout;
pub mod live;
pub mod model;
pub mod room;
pub mod sample;
pub mod style;
pub mod ui;
