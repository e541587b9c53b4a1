//! Reading and writing: the RON workshop file, spreadsheet CSV, JSON export, and the one atomic
//! write path every file goes through.

pub mod atomic;
pub mod copies;
pub mod csv;
pub mod format;
pub mod grants;
pub mod graphviz;
pub mod json;
pub mod location;
pub mod recovery;
pub mod xlsx;

pub use atomic::{WriteError, write_atomic};
pub use format::{LoadError, Loaded, load_bytes, load_path, load_str, save_path, to_string};
pub use location::Located;
