//! Company helpers for import and duplicate matching: canonical company names, website domains,
//! free-mail detection and fuzzy similarity.

use crate::canonical::contact_info::is_valid_domain;

/// Canonical form of a company name for matching and for name-keyed company ids (`"Müller GmbH &
/// Co. KG"` → `"muller"`): defined in the sync crate so the server derives the same ids.
pub use outpost_sync::entity::natural_key::normalized_company_name;

/// Reduces a website to its bare host: `"https://www.Acme.io/about?x=1"` → `"acme.io"`.
/// `None` when it is not a domain ("n/a", "-", an email address…).
pub fn website_domain(raw: &str) -> Option<String> {
    let mut s = raw.trim().to_lowercase();
    if let Some(i) = s.find("://") {
        s = s[i + 3..].to_string();
    } else if s.contains('@') && !s.contains('/') {
        return None;
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default().trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    is_valid_domain(host).then(|| host.to_string())
}

/// Brands whose every country domain is free mail (`hotmail.de`, `yahoo.co.uk`, `outlook.fr`).
const FREE_MAIL_BRANDS: &[&str] = &[
    "gmail",
    "googlemail",
    "outlook",
    "hotmail",
    "live",
    "msn",
    "yahoo",
    "ymail",
    "aol",
    "gmx",
    "yandex",
    "proton",
    "protonmail",
    "icloud",
    "zoho",
    "mail",
    "email",
    "rediffmail",
    "libero",
    "seznam",
    "tutanota",
];

/// Exact free-mail and ISP domains.
const FREE_MAIL_DOMAINS: &[&str] = &[
    "me.com",
    "mac.com",
    "pm.me",
    "tuta.io",
    "hey.com",
    "fastmail.com",
    "fastmail.fm",
    "rocketmail.com",
    "web.de",
    "t-online.de",
    "freenet.de",
    "arcor.de",
    "posteo.de",
    "mailbox.org",
    "online.de",
    "mail.ru",
    "bk.ru",
    "inbox.ru",
    "list.ru",
    "rambler.ru",
    "ya.ru",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sohu.com",
    "naver.com",
    "daum.net",
    "hanmail.net",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "neuf.fr",
    "bbox.fr",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "talktalk.net",
    "ntlworld.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "bellsouth.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "shaw.ca",
    "rogers.com",
    "sympatico.ca",
    "bigpond.com",
    "optusnet.com.au",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "terra.es",
    "telefonica.net",
    "bluewin.ch",
    "wp.pl",
    "o2.pl",
    "interia.pl",
    "onet.pl",
    "tiscali.it",
    "virgilio.it",
    "alice.it",
    "hushmail.com",
    "inbox.com",
    "lycos.com",
    "juno.com",
];

/// The maintained list of free and consumer email domains (npm `free-email-domains`, MIT,
/// ~14,000 domains; see `data/README.md` for its source and how to refresh it).
const FREE_EMAIL_LIST: &str = include_str!("../../data/free_email_domains.txt");

fn free_email_list() -> &'static std::collections::HashSet<&'static str> {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| FREE_EMAIL_LIST.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Whether `domain` belongs to a free or consumer email provider, so it says nothing about the
/// person's company: the maintained list, a few ISP domains it lacks, and every country domain of
/// the big brands (`hotmail.de`, `yahoo.co.uk`).
pub fn is_free_mail(domain: &str) -> bool {
    let domain = domain.trim().trim_end_matches('.').to_lowercase();
    if FREE_MAIL_DOMAINS.contains(&domain.as_str()) || free_email_list().contains(domain.as_str()) {
        return true;
    }
    // brand.tld or brand.co.uk style: the brand label followed by one or two short labels.
    let mut labels = domain.split('.');
    let brand = labels.next().unwrap_or_default();
    let rest: Vec<&str> = labels.collect();
    FREE_MAIL_BRANDS.contains(&brand) && (1..=2).contains(&rest.len()) && rest.iter().all(|l| l.len() <= 3)
}

/// Jaro-Winkler similarity in `0.0..=1.0` (1.0 = identical), for fuzzy name matching.
/// Compare [`normalized_company_name`]s or folded person names, not raw strings.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b)
}

/// The label a domain was registered under: `acme` for `mail.acme.co.uk`, `acme.com`, `acme.de`.
fn registered_label(domain: &str) -> Option<&str> {
    let labels: Vec<&str> = domain.split('.').collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    // Country domains with a second level (`co.uk`, `com.au`, `com.pl`, `co.jp`).
    let second_level = ["co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "gob", "or", "ne"];
    let cut = if n >= 3 && labels[n - 1].len() == 2 && second_level.contains(&labels[n - 2]) { 3 } else { 2 };
    labels.get(n.checked_sub(cut)?).copied()
}

/// Whether a company name supports attaching `domain` to it: the domain's registered label is
/// the name (`Acme Ltd` ↔ `acme.com`), one of its words (`Globex Corporation` ↔ `globex.io`),
/// the name run together (`Blue Sky Labs` ↔ `blueskylabs.com`), its initials (`International
/// Business Machines` ↔ `ibm.com`), or the name starts with it. A free-mail domain supports
/// nothing.
pub fn domain_fits_company(domain: &str, company: &str) -> bool {
    if is_free_mail(domain) {
        return false;
    }
    let Some(label) = registered_label(domain) else { return false };
    let label: String = label.chars().filter(|c| c.is_alphanumeric()).collect();
    if label.len() < 2 {
        return false;
    }
    if name_fits(&label, &normalized_company_name(company)) {
        return true;
    }
    // Domains spell umlauts out (`Müller` ↔ `mueller.de`) or drop them (`muller.de`): try both.
    if !company.contains(['ä', 'Ä', 'ö', 'Ö', 'ü', 'Ü', 'ß']) {
        return false;
    }
    let spelled_out: String = company
        .chars()
        .flat_map(|c| match c {
            'ä' | 'Ä' => "ae".chars().collect::<Vec<_>>(),
            'ö' | 'Ö' => "oe".chars().collect(),
            'ü' | 'Ü' => "ue".chars().collect(),
            'ß' => "ss".chars().collect(),
            other => vec![other],
        })
        .collect();
    name_fits(&label, &normalized_company_name(&spelled_out))
}

/// Whether a registered label fits a normalised company name (see [`domain_fits_company`]).
fn name_fits(label: &str, name: &str) -> bool {
    let tokens: Vec<&str> = name.split(' ').filter(|t| !t.is_empty()).collect();
    if tokens.is_empty() {
        return false;
    }
    let joined: String = tokens.concat();
    let initials: String = tokens.iter().filter_map(|t| t.chars().next()).collect();
    joined == label
        || tokens.iter().any(|t| t.len() >= 3 && *t == label)
        || (label.len() >= 4 && (joined.starts_with(label) || label.starts_with(&joined)))
        || (tokens.len() >= 2 && initials == label)
}

#[cfg(test)]
mod fit_tests {
    use crate::canonical::company::domain_fits_company;

    #[test]
    fn a_domain_is_attached_only_when_the_company_name_supports_it() {
        assert!(domain_fits_company("acme.com", "ACME, Inc."));
        assert!(domain_fits_company("globex.io", "Globex Corporation"));
        assert!(domain_fits_company("blueskylabs.com", "Blue Sky Labs"));
        assert!(domain_fits_company("ibm.com", "International Business Machines"));
        assert!(domain_fits_company("acme.co.uk", "Acme Widgets Ltd"));
        assert!(domain_fits_company("cafe-mueller.de", "Café Müller GmbH"));
        assert!(!domain_fits_company("gmail.com", "Gmail"));
        assert!(!domain_fits_company("consultancy.com", "Initech"));
        assert!(!domain_fits_company("wp.pl", "Wirtualna Polska"));
    }
}
