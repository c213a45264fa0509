//! Tests of the report module: exact table bytes, atomic files, and the plot on every backend.

mod fixtures;
mod html;
mod plot;
mod stream;
mod tables;
mod writing;
