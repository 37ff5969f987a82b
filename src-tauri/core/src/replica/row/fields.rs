//! A record's fields as serde serialises them — `(name, JSON value)` in declaration order — for
//! [`super::check`], without building a JSON object first.
//!
//! `serde_json::to_value` of a record allocates every field name as a `String` and inserts it
//! into a map that the check then looks each column up in; a bulk import checks a million rows,
//! and that map was about 3 % of a CSV import (BENCHMARKS.md, issue 16). This serializer accepts
//! only what a record is — a struct with named fields — and keeps the names `&'static str`; each
//! value is serialised exactly as `serde_json::to_value` serialises it.

use serde::ser::{self, Impossible, Serialize, SerializeStruct};
use serde_json::Value;

/// The named fields of `record`, or an error when it does not serialise as a struct.
pub(crate) fn fields(record: &impl Serialize) -> Result<Vec<(&'static str, Value)>, serde_json::Error> {
    record.serialize(Fields)
}

/// Serialises a struct into its named fields; anything else is refused.
struct Fields;

/// Collects the fields of [`Fields`]' struct.
struct Collect(Vec<(&'static str, Value)>);

impl SerializeStruct for Collect {
    type Ok = Vec<(&'static str, Value)>;
    type Error = serde_json::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Self::Error> {
        self.0.push((key, value.serialize(serde_json::value::Serializer)?));
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.0)
    }
}

fn not_a_struct() -> serde_json::Error {
    ser::Error::custom("a record must serialise as a struct with named fields")
}

/// Serializer methods for every shape but a struct: each refuses.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> { Err(not_a_struct()) })*
    };
}

impl ser::Serializer for Fields {
    type Ok = Vec<(&'static str, Value)>;
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<Self::Ok, Self::Error>;
    type SerializeTuple = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Self::Error>;
    type SerializeMap = Impossible<Self::Ok, Self::Error>;
    type SerializeStruct = Collect;
    type SerializeStructVariant = Impossible<Self::Ok, Self::Error>;

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct, Self::Error> {
        Ok(Collect(Vec::with_capacity(len)))
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(not_a_struct())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(not_a_struct())
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::{json, Value};

    use super::fields;

    #[derive(Serialize)]
    struct Record {
        name: String,
        count: u32,
        flag: bool,
        missing: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        custom: Value,
    }

    #[test]
    fn fields_match_what_to_value_makes_of_the_record() {
        let record = Record {
            name: "Ada".into(),
            count: 3,
            flag: true,
            missing: None,
            skipped: None,
            custom: json!({"city": "London"}),
        };
        let named = fields(&record).expect("a struct");
        let Value::Object(object) = serde_json::to_value(&record).expect("serialises") else { panic!("an object") };
        assert_eq!(named.len(), object.len());
        for (name, value) in &named {
            assert_eq!(Some(value), object.get(*name), "field {name}");
        }
        assert_eq!(named.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["name", "count", "flag", "missing", "custom"]);
    }

    #[test]
    fn a_record_that_is_not_a_struct_is_refused() {
        let error = fields(&json!({"name": "Ada"})).expect_err("a map is not a struct");
        assert!(error.to_string().contains("struct with named fields"), "{error}");
        assert!(fields(&"Ada").is_err());
    }
}
