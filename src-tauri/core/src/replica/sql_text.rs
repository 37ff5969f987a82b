//! The SQL text of a replicated row's INSERT, UPDATE or SELECT by id, built from column names
//! once per shape and thread.
//!
//! Rows are written from their entity's definition ([`super::row`]) and from received documents
//! ([`super::materialise`]), so their statements are built from column names rather than written
//! out. A writer uses a handful of shapes (each entity's columns, with or without its local
//! ones), but built one per row: formatting the text was 6 % of a new device's initial sync and a
//! tenth of an import's row writes. Here each shape's text is built once and shared.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

/// Which statement of row `?1` of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `INSERT INTO t (id, a, b) VALUES (?1, ?2, ?3)`.
    Insert,
    /// `UPDATE t SET a = ?2, b = ?3 WHERE id = ?1`.
    Update,
    /// `SELECT a, b FROM t WHERE id = ?1`.
    Select,
}

/// A shape already built on this thread.
struct Built {
    table: &'static str,
    shape: Shape,
    columns: Vec<&'static str>,
    sql: Rc<str>,
}

thread_local! {
    static BUILT: RefCell<Vec<Built>> = const { RefCell::new(Vec::new()) };
}

/// At most this many shapes are kept per thread; past it the list starts again (updates name
/// the columns that changed, so an unusual stream of them could otherwise grow it without bound).
const MAX_BUILT: usize = 64;

/// The `shape` statement of `columns` of row `?1` of `table` (values `?2`, `?3`, … in order).
pub(crate) fn sql(table: &'static str, shape: Shape, columns: impl Iterator<Item = &'static str> + Clone) -> Rc<str> {
    BUILT.with_borrow_mut(|built| {
        let same = |b: &&Built| b.table == table && b.shape == shape && b.columns.iter().copied().eq(columns.clone());
        if let Some(b) = built.iter().find(same) {
            return Rc::clone(&b.sql);
        }
        let columns: Vec<&'static str> = columns.collect();
        let sql: Rc<str> = text(table, shape, &columns).into();
        if built.len() >= MAX_BUILT {
            built.clear();
        }
        built.push(Built { table, shape, columns, sql: Rc::clone(&sql) });
        sql
    })
}

fn text(table: &str, shape: Shape, columns: &[&str]) -> String {
    let mut sql = String::with_capacity(64 + columns.iter().map(|c| c.len() + 8).sum::<usize>());
    match shape {
        Shape::Insert => {
            let _ = write!(sql, "INSERT INTO {table} (id");
            for column in columns {
                let _ = write!(sql, ", {column}");
            }
            sql.push_str(") VALUES (?1");
            for i in 0..columns.len() {
                let _ = write!(sql, ", ?{}", i + 2);
            }
            sql.push(')');
        }
        Shape::Update => {
            let _ = write!(sql, "UPDATE {table} SET ");
            for (i, column) in columns.iter().enumerate() {
                let comma = if i == 0 { "" } else { ", " };
                let _ = write!(sql, "{comma}{column} = ?{}", i + 2);
            }
            sql.push_str(" WHERE id = ?1");
        }
        Shape::Select => {
            let _ = write!(sql, "SELECT {} FROM {table} WHERE id = ?1", columns.join(", "));
        }
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::{sql, Shape};

    #[test]
    fn each_shape_names_its_columns_in_order_and_shapes_are_not_mixed_up() {
        let cols = |c: &'static [&'static str]| c.iter().copied();
        assert_eq!(&*sql("t", Shape::Insert, cols(&["a", "b"])), "INSERT INTO t (id, a, b) VALUES (?1, ?2, ?3)");
        assert_eq!(&*sql("t", Shape::Update, cols(&["a", "b"])), "UPDATE t SET a = ?2, b = ?3 WHERE id = ?1");
        assert_eq!(&*sql("t", Shape::Select, cols(&["a", "b"])), "SELECT a, b FROM t WHERE id = ?1");
        assert_eq!(&*sql("t", Shape::Update, cols(&["b"])), "UPDATE t SET b = ?2 WHERE id = ?1");
        assert_eq!(&*sql("u", Shape::Insert, cols(&["a", "b"])), "INSERT INTO u (id, a, b) VALUES (?1, ?2, ?3)");
        assert_eq!(&*sql("t", Shape::Insert, cols(&[])), "INSERT INTO t (id) VALUES (?1)");
        // Past the bound the list starts again, and every answer stays right.
        let names: Vec<&'static str> = (0..super::MAX_BUILT + 5).map(|i| &*format!("c{i}").leak()).collect();
        for name in &names {
            assert_eq!(
                &*sql("t", Shape::Select, std::iter::once(*name)),
                format!("SELECT {name} FROM t WHERE id = ?1")
            );
        }
        assert_eq!(&*sql("t", Shape::Insert, cols(&["a", "b"])), "INSERT INTO t (id, a, b) VALUES (?1, ?2, ?3)");
    }
}
