//! Saving where it cannot work — a full disk, a read-only drive, a folder that vanished, a folder
//! the user may not write to — gives a clear message, keeps the old file whole, and keeps the map
//! open with nothing lost.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use missionboard::app::{MissionboardApp, Settings};
use missionboard::io;

/// A small tmpfs mounted for the test (root only, as in CI); unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, options: &str) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok,
            "these tests mount a small tmpfs with `mount` and need root: run `bash .ci/run` as root, as CI does"
        );
        Mount(at.to_owned())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn big_map() -> missionboard::model::MissionMap {
    missionboard::sample::generate::map(2_000, 3)
}

fn harness() -> Harness<'static, MissionboardApp> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .build_eframe(|cc| MissionboardApp::with_map(&cc.egui_ctx, big_map(), Settings::default()));
    h.run_steps(2);
    h
}

#[test]
fn a_full_disk_keeps_the_old_file_and_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let mount = Mount::new(&dir.path().join("full"), "size=64k");
    let file = mount.0.join("board.mission.ron");
    io::save_path(&missionboard::sample::blank(), &file).unwrap();
    let before = std::fs::read(&file).unwrap();
    let err = io::save_path(&big_map(), &file).unwrap_err().to_string();
    assert!(err.contains("the disk is full"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "the old file is whole");
    assert_eq!(std::fs::read_dir(&mount.0).unwrap().count(), 1, "no temporary file is left taking the space");

    let mut h = harness();
    // An unsaved change, then a save that cannot work.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num1);
    h.run_steps(2);
    let cards = h.state().map().node_count();
    assert!(h.state().document().is_dirty());
    assert!(!h.state_mut().save_to(&file));
    h.run_steps(2);
    h.get_by_label("Could not save");
    h.get_by_label_contains("the disk is full");
    assert_eq!(h.state().map().node_count(), cards, "the new card is still there");
    assert!(h.state().document().is_dirty(), "still marked unsaved, so closing will ask");
}

#[test]
fn a_read_only_drive_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let mount = Mount::new(&dir.path().join("ro"), "ro,size=64k");
    let err = io::save_path(&big_map(), &mount.0.join("board.mission.ron")).unwrap_err().to_string();
    assert!(err.contains("the drive is read-only"), "{err}");
}

#[test]
fn a_vanished_folder_is_explained_and_the_map_kept() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("usb-stick");
    std::fs::create_dir(&gone).unwrap();
    let file = gone.join("board.mission.ron");
    let mut h = harness();
    assert!(h.state_mut().save_to(&file));
    std::fs::remove_dir_all(&gone).unwrap();
    assert!(!h.state_mut().save_to(&file));
    h.run_steps(2);
    h.get_by_label_contains("the folder does not exist");
    assert_eq!(h.state().map().node_count(), big_map().node_count());
}

#[test]
fn a_folder_the_user_may_not_write_to_is_explained() {
    // Root may write anywhere, so the command runs as the unprivileged user `nobody`.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.mission.ron");
    io::save_path(&missionboard::sample::uk_missions(), &input).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&input, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_missionboard"))
        .arg("export")
        .arg(&input)
        .arg("-o")
        .arg(locked.join("map.svg"))
        .output()
        .expect("setpriv (Debian package util-linux) runs; run `bash .ci/run` as root, which installs it");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("you do not have permission to write there"), "{err}");
}
