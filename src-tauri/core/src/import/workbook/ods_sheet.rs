//! What an OpenDocument sheet says beyond the values calamine reads: hidden rows and columns
//! (`table:visibility="collapse"` or `"filter"`), merged cells (`table:number-columns-spanned`,
//! `table:number-rows-spanned`) and how each number is shown — the cell's data style
//! (`number:number-style`, `number:percentage-style`, `number:currency-style`) turned into the
//! equivalent Excel format code and rendered by [`NumberFormat`], so `00123` keeps its zeros and
//! `12.50` its trailing zero as in an xlsx.
//!
//! One streaming pass (`quick-xml`) over `styles.xml` and `content.xml`; positions count repeated
//! rows and columns exactly as calamine's ranges do. Data styles this does not render exactly
//! (scientific, fractions, conditions other than the sign) leave the number in General style.

use std::{
    collections::HashMap,
    fs::File,
    io::{BufRead, BufReader},
    path::Path,
};

use quick_xml::{events::Event, Reader};

use crate::import::workbook::{
    markup_runs::MarkupRuns,
    number_format::NumberFormat,
    xlsx_sheet::{SheetExtras, MAX_LISTED_HIDDEN_ROWS},
};

/// Cells of one element repeated at most this many times are given their shown text (a
/// formatted value repeated across a whole row is not data).
const MAX_SHOWN_REPEATS: u32 = 1_024;

/// Layout facts and shown numbers of one sheet.
#[derive(Debug, Default)]
pub(crate) struct OdsSheet {
    /// Hidden rows and columns and merged ranges.
    pub extras: SheetExtras,
    /// (row, column) → the number as its data style shows it.
    pub shown: HashMap<(u32, u32), String>,
}

/// A data style being read.
#[derive(Debug, Default)]
struct DataStyle {
    code: String,
    /// Unsupported parts seen (scientific, fraction, embedded text…).
    unsupported: bool,
    percentage: bool,
    /// Style applied to values ≥ 0 (`style:map style:condition="value()>=0"`).
    positive: Option<String>,
}

/// Styles of the document: data styles by name (Excel format codes, `None` when not rendered
/// exactly) and cell styles by name (data style name, parent style name).
#[derive(Debug, Default)]
struct Styles {
    data: HashMap<String, Option<String>>,
    positive: HashMap<String, String>,
    cells: HashMap<String, (Option<String>, Option<String>)>,
}

impl Styles {
    /// The number format of cell style `name`, following parent styles.
    fn format(&self, name: &str) -> Option<NumberFormat> {
        let mut current = name;
        for _ in 0..16 {
            let (data, parent) = self.cells.get(current)?;
            if let Some(data) = data {
                return self.data_format(data);
            }
            current = parent.as_deref()?;
        }
        None
    }

    fn data_format(&self, name: &str) -> Option<NumberFormat> {
        let own = self.data.get(name)?.as_ref()?;
        let code = match self.positive.get(name) {
            Some(positive) => format!("{};{own}", self.data.get(positive)?.as_ref()?),
            None => own.clone(),
        };
        NumberFormat::parse(&code)
    }
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn number_attr(e: &quick_xml::events::BytesStart<'_>, key: &str, default: u32) -> u32 {
    attr(e, key).and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// A quoted literal of a format code (`%` stays bare in a percentage style: it scales).
fn literal(text: &str, percentage: bool, code: &mut String) {
    for c in text.chars() {
        match c {
            '%' if percentage => code.push('%'),
            '"' => code.push_str("\\\""),
            c => {
                code.push('"');
                code.push(c);
                code.push('"');
            }
        }
    }
}

/// `<number:number …/>` as an Excel code: `#,##0.00`, `00000`, `0.0#`.
fn number_code(e: &quick_xml::events::BytesStart<'_>) -> String {
    let integers = number_attr(e, "number:min-integer-digits", 1).min(30) as usize;
    let decimals = number_attr(e, "number:decimal-places", 0).min(30);
    let min_decimals = number_attr(e, "number:min-decimal-places", decimals).min(decimals);
    let grouping = attr(e, "number:grouping").as_deref() == Some("true");
    let mut code = String::new();
    if grouping {
        let zeros = integers.max(1);
        let hashes = 4_usize.saturating_sub(zeros);
        let digits: String = "#".repeat(hashes) + &"0".repeat(zeros);
        // Insert the separator three digits from the right.
        let split = digits.len() - 3.min(digits.len());
        code.push_str(&digits[..split]);
        code.push(',');
        code.push_str(&digits[split..]);
    } else if integers == 0 {
        code.push('#');
    } else {
        code.push_str(&"0".repeat(integers));
    }
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(min_decimals as usize));
        code.push_str(&"#".repeat((decimals - min_decimals) as usize));
    }
    code
}

/// Reads data styles and cell styles from a styles part (`styles.xml`) or from
/// `content.xml` up to its body; returns true when the body was reached.
fn read_styles<R: BufRead>(xml: &mut Reader<R>, styles: &mut Styles) -> Result<bool, quick_xml::Error> {
    let mut buf = Vec::new();
    let mut current: Option<(String, DataStyle)> = None;
    let mut in_text = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf)? {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                match name.as_ref() {
                    "office:body" => return Ok(true),
                    "number:number-style" | "number:percentage-style" | "number:currency-style" => {
                        let style = DataStyle {
                            percentage: name.as_ref() == "number:percentage-style",
                            ..DataStyle::default()
                        };
                        current = attr(&e, "style:name").map(|n| (n, style));
                    }
                    "number:number" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.code.push_str(&number_code(&e));
                        }
                    }
                    "number:text" | "number:currency-symbol" => in_text = true,
                    "number:scientific-number" | "number:fraction" | "number:embedded-text" => {
                        if let Some((_, style)) = current.as_mut() {
                            style.unsupported = true;
                        }
                    }
                    "style:map" => {
                        if let Some((_, style)) = current.as_mut() {
                            let condition = attr(&e, "style:condition").unwrap_or_default().replace(' ', "");
                            match (condition.as_str(), attr(&e, "style:apply-style-name")) {
                                ("value()>=0", Some(positive)) => style.positive = Some(positive),
                                _ => style.unsupported = true,
                            }
                        }
                    }
                    "style:style" if attr(&e, "style:family").as_deref() == Some("table-cell") => {
                        if let Some(style_name) = attr(&e, "style:name") {
                            let data = attr(&e, "style:data-style-name");
                            styles.cells.insert(style_name, (data, attr(&e, "style:parent-style-name")));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some((_, style)) = current.as_mut() {
                    let percentage = style.percentage;
                    literal(&t.xml10_content(), percentage, &mut style.code);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some((_, style)) = current.as_mut() {
                    let text = quick_xml::escape::resolve_xml_entity(&r).map(str::to_owned).unwrap_or_default();
                    let percentage = style.percentage;
                    literal(&text, percentage, &mut style.code);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "number:text" | "number:currency-symbol" => in_text = false,
                "number:number-style" | "number:percentage-style" | "number:currency-style" => {
                    if let Some((name, style)) = current.take() {
                        let code = (!style.unsupported && style.code.contains(['0', '#'])).then_some(style.code);
                        if let Some(positive) = style.positive {
                            styles.positive.insert(name.clone(), positive);
                        }
                        styles.data.insert(name, code);
                    }
                }
                _ => {}
            },
            Event::Eof => return Ok(false),
            _ => {}
        }
    }
}

fn hidden(e: &quick_xml::events::BytesStart<'_>) -> bool {
    matches!(attr(e, "table:visibility").as_deref(), Some("collapse" | "filter"))
}

/// Reads the sheet called `name` of the ods at `path`; `None` when it cannot be read (the import
/// goes on with calamine's values and no report).
pub(crate) fn read(path: &Path, name: &str) -> Option<OdsSheet> {
    let file = File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let mut styles = Styles::default();
    if let Ok(entry) = zip.by_name("styles.xml") {
        let mut xml = Reader::from_reader(BufReader::with_capacity(64 * 1024, MarkupRuns::new(entry)));
        read_styles(&mut xml, &mut styles).ok()?;
    }
    let entry = zip.by_name("content.xml").ok()?;
    let mut xml = Reader::from_reader(BufReader::with_capacity(64 * 1024, MarkupRuns::new(entry)));
    if !read_styles(&mut xml, &mut styles).ok()? {
        return None;
    }
    read_table(&mut xml, &styles, name).ok()
}

/// Where the pass is inside the table.
#[derive(Default)]
struct Position {
    row: u32,
    col: u32,
    row_repeats: u32,
    row_hidden: bool,
    row_has_content: bool,
    row_style: Option<String>,
}

fn read_table<R: BufRead>(xml: &mut Reader<R>, styles: &Styles, name: &str) -> Result<OdsSheet, quick_xml::Error> {
    let mut sheet = OdsSheet::default();
    let mut buf = Vec::new();
    let mut in_table = false;
    let mut column_styles: Vec<(u32, u32, Option<String>)> = Vec::new();
    let mut next_column = 0_u32;
    let mut at = Position::default();
    let mut formats: HashMap<String, Option<NumberFormat>> = HashMap::new();
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf)?;
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(end) => {
                match end.name().as_ref() {
                    "table:table" if in_table => return Ok(sheet),
                    "table:table-row" if in_table => end_row(&mut sheet, &mut at),
                    _ => {}
                }
                (None, false)
            }
            Event::Eof => return Ok(sheet),
            _ => (None, false),
        };
        let Some(e) = e else { continue };
        match e.name().as_ref() {
            "table:table" => {
                in_table = attr(&e, "table:name").as_deref() == Some(name);
                if in_table && empty {
                    return Ok(sheet);
                }
            }
            _ if !in_table => {}
            "table:table-column" => {
                let repeats = number_attr(&e, "table:number-columns-repeated", 1).max(1);
                if hidden(&e) {
                    let last = next_column.saturating_add(repeats.min(512));
                    sheet.extras.hidden_columns.extend(next_column..last);
                }
                column_styles.push((next_column, repeats, attr(&e, "table:default-cell-style-name")));
                next_column = next_column.saturating_add(repeats);
            }
            "table:table-row" => {
                at.row_repeats = number_attr(&e, "table:number-rows-repeated", 1).max(1);
                at.row_hidden = hidden(&e);
                at.row_has_content = false;
                at.row_style = attr(&e, "table:default-cell-style-name");
                at.col = 0;
                if empty {
                    end_row(&mut sheet, &mut at);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let repeats = number_attr(&e, "table:number-columns-repeated", 1).max(1);
                let spanned_cols = number_attr(&e, "table:number-columns-spanned", 1).max(1);
                let spanned_rows = number_attr(&e, "table:number-rows-spanned", 1).max(1);
                if spanned_cols > 1 || spanned_rows > 1 {
                    let end = (at.row.saturating_add(spanned_rows - 1), at.col.saturating_add(spanned_cols - 1));
                    sheet.extras.merges.push(((at.row, at.col), end));
                }
                let value_type = attr(&e, "office:value-type");
                if value_type.is_some() || !empty {
                    at.row_has_content |= value_type.is_some();
                }
                if let (Some("float" | "percentage" | "currency"), Some(value)) =
                    (value_type.as_deref(), attr(&e, "office:value").and_then(|v| v.trim().parse::<f64>().ok()))
                {
                    let style = attr(&e, "table:style-name")
                        .or_else(|| at.row_style.clone())
                        .or_else(|| column_style(&column_styles, at.col));
                    if let Some(style) = style {
                        let format = formats.entry(style.clone()).or_insert_with(|| styles.format(&style));
                        if let Some(format) = format {
                            let text = format.render(value);
                            for row in at.row..at.row.saturating_add(at.row_repeats.min(MAX_SHOWN_REPEATS)) {
                                for col in at.col..at.col.saturating_add(repeats.min(MAX_SHOWN_REPEATS)) {
                                    sheet.shown.insert((row, col), text.clone());
                                }
                            }
                        }
                    }
                }
                at.col = at.col.saturating_add(repeats);
            }
            _ => {}
        }
    }
}

fn column_style(columns: &[(u32, u32, Option<String>)], col: u32) -> Option<String> {
    columns.iter().find(|(first, repeats, _)| (*first..first.saturating_add(*repeats)).contains(&col))?.2.clone()
}

fn end_row(sheet: &mut OdsSheet, at: &mut Position) {
    if at.row_hidden && at.row_has_content {
        let extras = &mut sheet.extras;
        for row in at.row..at.row.saturating_add(at.row_repeats) {
            if extras.hidden_rows.len() >= MAX_LISTED_HIDDEN_ROWS {
                break;
            }
            extras.hidden_rows.push(row);
        }
        extras.hidden_row_count += u64::from(at.row_repeats);
    }
    at.row = at.row.saturating_add(at.row_repeats);
    at.row_repeats = 1;
    at.row_hidden = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(content: &str) -> OdsSheet {
        let mut styles = Styles::default();
        let mut xml = Reader::from_reader(content.as_bytes());
        assert!(read_styles(&mut xml, &mut styles).expect("styles"));
        read_table(&mut xml, &styles, "Leads").expect("table")
    }

    #[test]
    fn data_styles_become_the_excel_codes_that_show_the_same_text() {
        let content = r#"<office:document-content><office:automatic-styles>
            <number:number-style style:name="N1"><number:number number:decimal-places="0" number:min-integer-digits="5"/></number:number-style>
            <number:number-style style:name="N2"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
            <number:percentage-style style:name="N3"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
            <number:currency-style style:name="N4P0"><number:currency-symbol>€</number:currency-symbol><number:text> </number:text><number:number number:decimal-places="2" number:min-integer-digits="1"/></number:currency-style>
            <number:currency-style style:name="N4"><number:text>-</number:text><number:currency-symbol>€</number:currency-symbol><number:text> </number:text><number:number number:decimal-places="2" number:min-integer-digits="1"/><style:map style:condition="value()&gt;=0" style:apply-style-name="N4P0"/></number:currency-style>
            <number:number-style style:name="N5"><number:scientific-number number:decimal-places="2"/></number:number-style>
            <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
            <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>
            <style:style style:name="ce4" style:family="table-cell" style:data-style-name="N4"/>
            <style:style style:name="ce5" style:family="table-cell" style:data-style-name="N5"/>
            </office:automatic-styles><office:body><office:spreadsheet>
            <table:table table:name="Other"><table:table-row><table:table-cell office:value-type="float" office:value="1" table:style-name="ce1"/></table:table-row></table:table>
            <table:table table:name="Leads">
            <table:table-column table:number-columns-repeated="2"/><table:table-column table:default-cell-style-name="ce1"/>
            <table:table-row><table:table-cell office:value-type="float" office:value="6083" table:style-name="ce1"/><table:table-cell office:value-type="float" office:value="1234.5" table:style-name="ce2"/><table:table-cell office:value-type="float" office:value="42"/></table:table-row>
            <table:table-row><table:table-cell office:value-type="percentage" office:value="0.125" table:style-name="ce3"/><table:table-cell office:value-type="currency" office:value="-5" table:style-name="ce4"/><table:table-cell office:value-type="currency" office:value="5" table:style-name="ce4"/><table:table-cell office:value-type="float" office:value="12345" table:style-name="ce5"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let sheet = sheet(content);
        let shown = |row, col| sheet.shown.get(&(row, col)).map(String::as_str);
        assert_eq!(shown(0, 0), Some("06083"));
        assert_eq!(shown(0, 1), Some("1,234.50"));
        assert_eq!(shown(0, 2), Some("00042"), "the column's default cell style");
        assert_eq!(shown(1, 0), Some("12.5%"));
        assert_eq!(shown(1, 1), Some("-€ 5.00"));
        assert_eq!(shown(1, 2), Some("€ 5.00"));
        assert_eq!(shown(1, 3), None, "scientific stays General");
    }

    #[test]
    fn hidden_rows_and_columns_and_spans_count_repeats() {
        let content = r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="Leads">
            <table:table-column/><table:table-column table:visibility="collapse" table:number-columns-repeated="2"/><table:table-column/>
            <table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>Contact</text:p></table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="string"><text:p>Email</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
            <table:table-row table:visibility="collapse"><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
            <table:table-row table:visibility="filter" table:number-rows-repeated="1000"><table:table-cell/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let sheet = sheet(content);
        assert_eq!(sheet.extras.hidden_columns, vec![1, 2]);
        assert_eq!(sheet.extras.hidden_rows, vec![3], "empty hidden rows are not reported");
        assert_eq!(sheet.extras.hidden_row_count, 1);
        assert_eq!(sheet.extras.merges, vec![((0, 0), (0, 1))]);
    }
}
