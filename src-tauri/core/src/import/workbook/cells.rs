//! A workbook cell as the text a user sees in it, which is what the CSV importer would have read
//! from the same sheet saved as CSV:
//!
//! - numbers in Excel's "General" style: whole numbers without `.0` and never in scientific
//!   notation (a phone stored as a number, `447700900123`, stays those digits), fractions rounded
//!   to 15 significant digits (`0.1 + 0.2` is `0.3`); a cell's own number format is applied when
//!   [`NumberFormat`] renders it exactly (`00000` keeps a postcode's leading zero);
//! - dates and times as ISO 8601 (`2024-03-01`, `2024-03-01 09:30:00`, `09:30:00`) whichever of
//!   the 1900 and 1904 date systems the workbook uses; durations as `h:mm:ss`;
//! - formulas by their cached value; booleans `TRUE`/`FALSE`; errors as Excel shows them (`#N/A`).

#[cfg(test)]
use calamine::DataRef;
use calamine::{Data, ExcelDateTime};
use chrono::{Duration, NaiveDate};

use crate::import::workbook::number_format::NumberFormat;

/// The text of a cell read by calamine's streaming xlsx reader (the oracle of the xlsx tests).
#[cfg(test)]
pub(crate) fn data_ref_text(value: DataRef<'_>, format: Option<&NumberFormat>) -> String {
    match value {
        DataRef::SharedString(text) => text.to_owned(),
        DataRef::String(text) => text,
        other => data_text(&Data::from(other), format),
    }
}

/// The text of a cell.
pub(crate) fn data_text(value: &Data, format: Option<&NumberFormat>) -> String {
    match value {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Int(n) => match format {
            Some(format) => format.render(*n as f64),
            None => n.to_string(),
        },
        Data::Float(n) => match format {
            Some(format) if n.is_finite() => format.render(*n),
            _ => general_number(*n),
        },
        Data::Bool(true) => "TRUE".to_owned(),
        Data::Bool(false) => "FALSE".to_owned(),
        Data::DateTime(date) if date.is_duration() => duration_text(date.as_f64()),
        Data::DateTime(date) => date_text(date),
        Data::DateTimeIso(text) => iso_text(text),
        Data::DurationIso(text) => iso_duration_text(text),
        Data::Error(error) => error.to_string(),
    }
}

/// A number the way Excel's "General" format shows it, without ever switching to scientific
/// notation: up to 15 significant digits, no trailing zeros, no `.0`.
pub(crate) fn general_number(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    // Round to 15 significant digits (what Excel stores and shows), then print in full.
    let rounded: f64 = format!("{n:.14e}").parse().unwrap_or(n);
    let text = format!("{rounded}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A date-time serial as `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or (under one day) `HH:MM:SS`,
/// rounded to the second as Excel displays it.
fn date_text(date: &ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, ms) = date.to_ymd_hms_milli();
    let serial = date.as_f64();
    let mut parts = (y, mo, d, h, mi, s);
    if ms >= 500 {
        let next = NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
            .and_then(|day| day.and_hms_opt(u32::from(h), u32::from(mi), u32::from(s)))
            .map(|t| t + Duration::seconds(1));
        if let Some(t) = next {
            use chrono::{Datelike, Timelike};
            let narrow = |v: u32| u8::try_from(v).unwrap_or(0);
            parts = (
                u16::try_from(t.year()).unwrap_or(y),
                narrow(t.month()),
                narrow(t.day()),
                narrow(t.hour()),
                narrow(t.minute()),
                narrow(t.second()),
            );
        }
    }
    let (y, mo, d, h, mi, s) = parts;
    if (0.0..1.0).contains(&serial) {
        return format!("{h:02}:{mi:02}:{s:02}");
    }
    if h == 0 && mi == 0 && s == 0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// A duration in days as `h:mm:ss` (hours not wrapped at 24, as `[h]:mm:ss` shows it).
fn duration_text(days: f64) -> String {
    let total = (days * 86_400.0).round() as i64;
    let sign = if total < 0 { "-" } else { "" };
    let total = total.abs();
    format!("{sign}{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// An ISO 8601 date-time (OpenDocument) in the same shape as [`date_text`]: `T` becomes a space,
/// fractions of a second and a zero time are dropped.
fn iso_text(text: &str) -> String {
    let Some((date, time)) = text.split_once('T') else { return text.to_owned() };
    let time = time.split(['.', 'Z', '+']).next().unwrap_or(time);
    if time == "00:00:00" {
        date.to_owned()
    } else {
        format!("{date} {time}")
    }
}

/// An ISO 8601 duration (`PT12H13M14S`, OpenDocument times) as `h:mm:ss`.
fn iso_duration_text(text: &str) -> String {
    let Some(body) = text.strip_prefix("PT").or_else(|| text.strip_prefix("-PT")) else { return text.to_owned() };
    let (mut hours, mut minutes, mut seconds, mut number) = (0.0_f64, 0.0_f64, 0.0_f64, String::new());
    for c in body.chars() {
        match c {
            'H' => hours = number.parse().unwrap_or(0.0),
            'M' => minutes = number.parse().unwrap_or(0.0),
            'S' => seconds = number.parse().unwrap_or(0.0),
            _ => {
                number.push(c);
                continue;
            }
        }
        number.clear();
    }
    let days = (hours * 3600.0 + minutes * 60.0 + seconds) / 86_400.0;
    let text_days = if text.starts_with('-') { -days } else { days };
    duration_text(text_days)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

    use super::*;

    #[test]
    fn numbers_that_are_really_phones_have_no_point_zero_or_exponent() {
        assert_eq!(general_number(447_700_900_123.0), "447700900123");
        assert_eq!(general_number(1e20), "100000000000000000000");
        assert_eq!(general_number(0.1 + 0.2), "0.3");
        assert_eq!(general_number(1.75), "1.75");
        assert_eq!(general_number(-42.0), "-42");
        assert_eq!(general_number(0.000_001_5), "0.0000015");
    }

    #[test]
    fn serial_dates_read_the_same_in_both_date_systems() {
        let in_1900 = Data::DateTime(ExcelDateTime::new(45_352.0, ExcelDateTimeType::DateTime, false));
        let in_1904 = Data::DateTime(ExcelDateTime::new(45_352.0 - 1462.0, ExcelDateTimeType::DateTime, true));
        assert_eq!(data_text(&in_1900, None), "2024-03-01");
        assert_eq!(data_text(&in_1904, None), "2024-03-01");
        let with_time = Data::DateTime(ExcelDateTime::new(45_352.395_833_333, ExcelDateTimeType::DateTime, false));
        assert_eq!(data_text(&with_time, None), "2024-03-01 09:30:00");
        let time_only = Data::DateTime(ExcelDateTime::new(0.5, ExcelDateTimeType::DateTime, false));
        assert_eq!(data_text(&time_only, None), "12:00:00");
        let duration = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(data_text(&duration, None), "36:00:00");
    }

    #[test]
    fn opendocument_dates_and_times_match_the_excel_shape() {
        assert_eq!(data_text(&Data::DateTimeIso("2007-05-07".into()), None), "2007-05-07");
        assert_eq!(data_text(&Data::DateTimeIso("2007-05-07T00:00:00".into()), None), "2007-05-07");
        assert_eq!(data_text(&Data::DateTimeIso("2007-05-07T09:15:00.5".into()), None), "2007-05-07 09:15:00");
        assert_eq!(data_text(&Data::DurationIso("PT12H13M14S".into()), None), "12:13:14");
    }

    #[test]
    fn booleans_and_errors_read_as_excel_shows_them() {
        assert_eq!(data_text(&Data::Bool(true), None), "TRUE");
        assert_eq!(data_text(&Data::Error(calamine::CellErrorType::NA), None), "#N/A");
    }
}
