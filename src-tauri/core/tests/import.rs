//! Integration tests of the CSV import front half (reading, mapping, normalising) against real
//! files in `tests/fixtures/csv/` and the vendored csv-spectrum suite. Each module says what it
//! covers.

mod import {
    pub mod mapping;
    pub mod normalize;
    pub mod read;
    pub mod reject;
    pub mod spectrum;
    pub mod streaming;
    pub mod support;
}
