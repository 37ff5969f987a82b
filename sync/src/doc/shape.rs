//! The shape check every incoming update passes before `yrs` decodes it.
//!
//! `yrs` 0.28 decodes a value stored in a document (`Any`: arrays and maps of values) by
//! recursion, one stack frame per level of nesting, with no limit: an update of a few hundred
//! kilobytes holding an array nested 200,000 deep overflows the stack of whichever process
//! applies it, which aborts the whole process (a stack overflow is not a panic; nothing catches
//! it). The server applies every pushed update to check it, and every device applies every update
//! it pulls, so one such push from any signed-in device would take down the server and then
//! every colleague's app on each start. Its nested shared types (a map inside a map inside …)
//! are freed and deleted by recursion too.
//!
//! A record document never needs either: its fields are scalars in the root map `fields` (JSON
//! fields travel as strings), its long texts are root texts. So before decoding, this walks the
//! update's v1 encoding without recursion and refuses, naming what it found:
//! - a value nested deeper than [`MAX_VALUE_DEPTH`];
//! - nested shared types and sub-documents (the record model has none);
//! - anything outside the record model: roots other than `fields`, `meta` and `text:<field>`,
//!   and `meta` keys other than the tombstone and the creation key (content there was stored and
//!   shipped to every device without any field check seeing it);
//! - a count (of clients, blocks, values, map entries) larger than the bytes left could hold,
//!   so no decoder reserves memory for elements that cannot be there;
//! - unknown block or content types.
//!
//! The walk mirrors `yrs`'s own decoder (`Update::decode`, `ItemContent::decode`, `Any::decode`)
//! up to the delete set, which `yrs` decodes without recursion and with its own bounds.

use yrs::encoding::read::{Cursor, Read};

use super::{CREATION_KEY, DELETED, FIELDS, META, TEXT_PREFIX};

/// The deepest nesting of arrays and maps a stored value may have (a record's values are
/// scalars; this leaves room for any small JSON value).
pub const MAX_VALUE_DEPTH: usize = 16;

const BLOCK_GC: u8 = 0;
const BLOCK_SKIP: u8 = 10;
const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;

/// Why an update was refused before decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// The bytes are not a v1 update (truncated, or a malformed number or string).
    Malformed(String),
    /// A well-formed update of a shape no record document has (see the module docs).
    Refused(String),
}

impl From<ShapeError> for super::DocError {
    fn from(e: ShapeError) -> Self {
        match e {
            ShapeError::Malformed(why) => super::DocError::BadUpdate(why),
            ShapeError::Refused(why) => super::DocError::RefusedShape(why),
        }
    }
}

/// Checks the shape of a v1 update (see the module docs); the error says what was refused.
pub fn check_update_shape(update: &[u8]) -> Result<(), ShapeError> {
    let mut walk = Walk { cursor: Cursor::new(update) };
    let clients = walk.count("clients")?;
    for _ in 0..clients {
        let blocks = walk.count("blocks")?;
        walk.var_u64()?; // client id
        walk.var_u32()?; // first clock
        for _ in 0..blocks {
            walk.block()?;
        }
    }
    Ok(())
}

/// Whether an item may sit in root `root` under map key `key`: scalar fields in `fields`, the
/// tombstone and creation key in `meta`, characters (no keys) in `text:<field>` roots.
fn check_place(root: &str, key: Option<&str>) -> Result<(), ShapeError> {
    let allowed = match (root, key) {
        (FIELDS, Some(_)) => true,
        (META, Some(key)) => key == DELETED || key == CREATION_KEY,
        (root, None) => root.starts_with(TEXT_PREFIX),
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    let shown: String = root.chars().take(40).collect();
    Err(refused(match key {
        Some(key) => format!(
            "it writes `{}` into `{shown}`, which a record document does not have (only fields, \
             meta.{DELETED}, meta.{CREATION_KEY} and {TEXT_PREFIX}<field> texts)",
            key.chars().take(40).collect::<String>()
        ),
        None => format!(
            "it writes into `{shown}`, which a record document does not have (only fields, meta.{DELETED}, \
             meta.{CREATION_KEY} and {TEXT_PREFIX}<field> texts)"
        ),
    }))
}

struct Walk<'a> {
    cursor: Cursor<'a>,
}

fn truncated(e: yrs::encoding::read::Error) -> ShapeError {
    ShapeError::Malformed(e.to_string())
}

fn refused(why: String) -> ShapeError {
    ShapeError::Refused(why)
}

impl<'a> Walk<'a> {
    fn left(&self) -> usize {
        self.cursor.buf.len().saturating_sub(self.cursor.next)
    }

    fn var_u32(&mut self) -> Result<u32, ShapeError> {
        self.cursor.read_var::<u32>().map_err(truncated)
    }

    fn var_u64(&mut self) -> Result<u64, ShapeError> {
        self.cursor.read_var::<u64>().map_err(truncated)
    }

    fn bytes(&mut self, len: usize) -> Result<(), ShapeError> {
        self.cursor.read_exact(len).map(|_| ()).map_err(truncated)
    }

    /// The next length-prefixed string or buffer, borrowed from the update: no copy, and no
    /// UTF-8 check (`yrs` checks every text it decodes; here only the length matters).
    fn slice(&mut self) -> Result<&'a [u8], ShapeError> {
        let len = self.var_u32()? as usize;
        let buf: &'a [u8] = self.cursor.buf;
        let start = self.cursor.next;
        let end = start
            .checked_add(len)
            .filter(|end| *end <= buf.len())
            .ok_or_else(|| ShapeError::Malformed(format!("a string of {len} bytes runs past the end of the update")))?;
        self.cursor.next = end;
        Ok(&buf[start..end])
    }

    fn string(&mut self) -> Result<(), ShapeError> {
        self.slice().map(|_| ())
    }

    /// A root or key name, which the place check reads.
    fn name(&mut self) -> Result<&'a str, ShapeError> {
        std::str::from_utf8(self.slice()?).map_err(|_| ShapeError::Malformed("a name is not UTF-8".into()))
    }

    fn buf(&mut self) -> Result<(), ShapeError> {
        self.slice().map(|_| ())
    }

    fn id(&mut self) -> Result<(), ShapeError> {
        self.var_u64()?;
        self.var_u32().map(|_| ())
    }

    /// A count of things that each take at least one byte: never more than the bytes left.
    fn count(&mut self, what: &str) -> Result<u32, ShapeError> {
        let n = self.var_u32()?;
        if n as usize > self.left() {
            return Err(refused(format!("it announces {n} {what} but only {} bytes follow", self.left())));
        }
        Ok(n)
    }

    fn block(&mut self) -> Result<(), ShapeError> {
        let info = self.cursor.read_u8().map_err(truncated)?;
        if info == BLOCK_GC || info == BLOCK_SKIP {
            return self.var_u32().map(|_| ());
        }
        if info & HAS_ORIGIN != 0 {
            self.id()?;
        }
        if info & HAS_RIGHT_ORIGIN != 0 {
            self.id()?;
        }
        if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
            // An item without neighbours names its parent (an item with one sits beside it, in
            // the same parent, so checking these checks every item's place).
            if self.var_u32()? != 1 {
                return Err(refused("it writes inside a nested shared type, which record documents never hold".into()));
            }
            let root = self.name()?;
            let key = if info & HAS_PARENT_SUB != 0 { Some(self.name()?) } else { None };
            check_place(root, key)?;
        }
        self.content(info & 0b1111)
    }

    fn content(&mut self, content: u8) -> Result<(), ShapeError> {
        match content {
            1 => self.var_u32().map(|_| ()), // deleted: a length
            2 => {
                // Legacy JSON: `len + 1` JSON texts (as yrs reads them).
                let n = self.count("JSON values")?;
                (0..=n).try_for_each(|_| self.string())
            }
            3 => self.buf(),
            4 => self.string(),
            5 => self.string(), // embed: JSON text, parsed by serde_json (depth-limited)
            6 => {
                self.string()?; // format key
                self.string() // format value: JSON text
            }
            7 => Err(refused("it creates a nested shared type, which record documents never hold".into())),
            8 => {
                let n = self.count("values")?;
                (0..n).try_for_each(|_| self.value())
            }
            9 => Err(refused("it embeds a sub-document, which record documents never hold".into())),
            other => Err(refused(format!("it holds content of unknown type {other}"))),
        }
    }

    /// Skips one value (`Any`) without recursion, refusing nesting past [`MAX_VALUE_DEPTH`].
    fn value(&mut self) -> Result<(), ShapeError> {
        // Per open array or map: how many elements are left, and whether each has a key. On the
        // stack: at most MAX_VALUE_DEPTH + 1 are ever open.
        let mut open = [(0_u32, false); MAX_VALUE_DEPTH + 2];
        open[0] = (1, false);
        let mut depth = 1;
        while depth > 0 {
            let top = &mut open[depth - 1];
            if top.0 == 0 {
                depth -= 1;
                continue;
            }
            top.0 -= 1;
            if top.1 {
                self.string()?;
            }
            let tag = self.cursor.read_u8().map_err(truncated)?;
            match tag {
                126 | 127 | 120 | 121 => {}
                125 => {
                    self.cursor.read_var::<i64>().map_err(truncated)?;
                }
                124 => self.bytes(4)?,
                122 | 123 => self.bytes(8)?,
                119 => self.string()?,
                116 => self.buf()?,
                117 | 118 => {
                    let n = self.count(if tag == 117 { "array elements" } else { "map entries" })?;
                    if depth > MAX_VALUE_DEPTH {
                        return Err(refused(format!(
                            "it holds a value nested more than {MAX_VALUE_DEPTH} levels deep"
                        )));
                    }
                    open[depth] = (n, tag == 118);
                    depth += 1;
                }
                other => return Err(refused(format!("it holds a value of unknown type {other}"))),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
