//! Unit tests of the source module: splitting, classification (both readers), and reading directories.

mod classify;
mod files;
mod fuzz;
mod split;
