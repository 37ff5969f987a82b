//! End-to-end tests of workbook import (issue 19): the real `outpost` binary on real public
//! workbooks from other projects' test suites (`tests/fixtures/workbooks/SOURCES.tsv` says where
//! each file comes from, who wrote it and under which licence). Each module says what it covers.

mod workbooks {
    pub mod cells;
    pub mod generators;
    pub mod refused;
    pub mod sheets;
    pub mod support;
    pub mod twins;
}
