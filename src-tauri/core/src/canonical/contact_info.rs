//! Email and phone clean-up for imported rows.

use phonenumber::{country::Id, Mode};

use crate::canonical::text::words;

/// Lower-cases an email, drops a `mailto:` prefix and surrounding `<>`, and returns it only if
/// it is a plausible address (`local@domain.tld`, no spaces, sane labels).
pub fn clean_email(raw: &str) -> Option<String> {
    let mut email = raw.trim().to_lowercase();
    if let Some(rest) = email.strip_prefix("mailto:") {
        email = rest.to_string();
    }
    let email = email.trim_start_matches('<').trim_end_matches('>').trim().to_string();
    is_valid_email(&email).then_some(email)
}

/// Whether `email` (already trimmed and lower-cased) looks deliverable.
fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    email.len() <= 254 && local_ok && is_valid_domain(domain)
}

/// Whether `domain` is a dotted host name with a TLD of two or more letters.
pub(crate) fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld_ok = labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    labels.len() >= 2
        && tld_ok
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Formats a phone number as E.164 (`+442079460958`), reading national numbers in `region`.
/// `None` when it does not parse or is not a valid number. A leading `'` (how Apollo and Excel
/// users stop a spreadsheet from treating `+1…` as a formula) is ignored.
pub fn phone_to_e164(raw: &str, region: Option<Id>) -> Option<String> {
    let number = phonenumber::parse(region, raw.trim().trim_start_matches('\'').trim()).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
}

/// Reads a region (ISO 3166 alpha-2, like `"GB"`, or a common country name in English, German,
/// French or Spanish) to tell how national phone numbers are written.
pub fn region_of(country: &str) -> Option<Id> {
    let key = words(country);
    if key.len() == 2 {
        let code = key.to_ascii_uppercase();
        // "UK" is what people write; the ISO code is GB.
        return if code == "UK" { Some(Id::GB) } else { code.parse().ok() };
    }
    let id = match key.as_str() {
        "united kingdom"
        | "great britain"
        | "england"
        | "scotland"
        | "wales"
        | "northern ireland"
        | "royaume uni"
        | "reino unido"
        | "vereinigtes konigreich"
        | "grossbritannien" => Id::GB,
        "united states"
        | "united states of america"
        | "usa"
        | "etats unis"
        | "estados unidos"
        | "vereinigte staaten" => Id::US,
        "germany" | "deutschland" | "allemagne" | "alemania" => Id::DE,
        "france" | "frankreich" | "francia" => Id::FR,
        "spain" | "espana" | "spanien" | "espagne" => Id::ES,
        "austria" | "osterreich" | "autriche" => Id::AT,
        "switzerland" | "schweiz" | "suisse" | "suiza" => Id::CH,
        "netherlands" | "the netherlands" | "holland" | "niederlande" | "pays bas" | "paises bajos" => Id::NL,
        "belgium" | "belgien" | "belgique" | "belgica" => Id::BE,
        "ireland" | "irland" | "irlande" | "irlanda" => Id::IE,
        "italy" | "italien" | "italie" | "italia" => Id::IT,
        "portugal" => Id::PT,
        "canada" | "kanada" => Id::CA,
        "australia" | "australien" | "australie" => Id::AU,
        "mexico" | "mexiko" | "mexique" => Id::MX,
        "argentina" | "argentinien" | "argentine" => Id::AR,
        "colombia" | "kolumbien" | "colombie" => Id::CO,
        "chile" | "chili" => Id::CL,
        "sweden" | "schweden" | "suede" | "suecia" => Id::SE,
        "denmark" | "danemark" | "dinamarca" => Id::DK,
        "norway" | "norwegen" | "norvege" | "noruega" => Id::NO,
        "poland" | "polen" | "pologne" | "polonia" => Id::PL,
        "india" | "indien" | "inde" => Id::IN,
        _ => return None,
    };
    Some(id)
}
