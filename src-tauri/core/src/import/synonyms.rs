//! Header synonyms: how CRM exports (HubSpot, Salesforce, Apollo, Pipedrive, Zoho, LinkedIn,
//! Google Contacts, Outlook…) and English, German, French, Spanish and Polish spreadsheets name
//! each field of a person, a company or a deal, consent flags included.
//!
//! Phrases are written naturally and compared after [`compact_key`] folding, so `"E-Mail"`,
//! `"e_mail"` and `"EMAIL"` are the same entry. *Strong* phrases are unambiguous; *weak* ones are
//! only used when no strong column claimed the field (e.g. HubSpot's "Lifecycle Stage" is a
//! status only if there is no "Lead Status").

use crate::{canonical::text::compact_key, import::Field};

/// How sure a synonym is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// Unambiguous.
    Strong,
    /// Used only if nothing strong claimed the field.
    Weak,
}

use Field::*;
use Strength::{Strong, Weak};

/// The synonym table: `|`-separated phrases per field (several rows per field are fine).
const SYNONYMS: &[(Field, Strength, &str)] = &[
    (FirstName, Strong, "first name|firstname|first|given name|forename|person first name|vorname|prenom|nombre"),
    (FirstName, Strong, "nombre de pila|nome|imie|jmeno|krestni jmeno"),
    (FirstName, Strong, "primeiro nome|nome proprio|voornaam|fornavn|fornamn|etunimi|名|下の名前"),
    (LastName, Strong, "last name|lastname|last|surname|family name|person last name|nachname|familienname"),
    (LastName, Strong, "nom de famille|nom|apellido|apellidos|cognome|nazwisko|prijmeni"),
    (LastName, Strong, "sobrenome|ultimo nome|achternaam|efternavn|efternamn|sukunimi|姓|名字|苗字"),
    (FullName, Strong, "name|full name|fullname|contact name|contact|person name|lead name|display name"),
    (FullName, Strong, "vollstandiger name|nom complet|nombre completo|nome completo|imie i nazwisko"),
    (FullName, Strong, "associated contact|primary contact|contact person|ansprechpartner|kontaktperson"),
    (FullName, Strong, "氏名|お名前|名前|担当者|担当者名|姓名|联系人|naam|volledige naam"),
    (Email, Strong, "email|e mail|email address|e mail address|mail|email 1|primary email|work email|business email"),
    (Email, Strong, "emails|e mail adresse|emailadresse|courriel|adresse email|adresse e mail|adresse courriel"),
    (Email, Strong, "correo|correo electronico|email personal|direccion de correo|direccion de correo electronico"),
    (Email, Strong, "contact email|email addresses|adres email|adres e mail|associated contact email"),
    (Email, Strong, "adresse de messagerie|endereco de email|endereco de e mail|e mailadres|e postadresse"),
    (Email, Strong, "メールアドレス|メール|eメール|eメールアドレス|電子メール|電子メールアドレス|电子邮件|邮箱"),
    (Phone, Strong, "phone|phone number|telephone|tel|telephone number|work phone|business phone|office phone"),
    (Phone, Strong, "first phone|primary phone|direct phone|work direct phone|phone 1|telefon|telefonnummer"),
    (Phone, Strong, "rufnummer|telephone fixe|numero de telephone|telefono|numero de telefono"),
    (Phone, Strong, "contact number|contact numbers|phone numbers|phones|primary phone number|main phone|phone no"),
    (Phone, Strong, "numer telefonu|tel number|telefone|telefoon|telefonnummer|puhelin|電話番号|電話|勤務先電話|电话"),
    (Mobile, Strong, "mobile|mobile phone|mobile phone number|mobile number|cell|cell phone|cellphone|mobil"),
    (Mobile, Strong, "mobiltelefon|handy|handynummer|mobilnummer|portable|telephone portable|telephone mobile|movil"),
    (Mobile, Strong, "telefono movil|celular|telefon komorkowy|komorka|tel mobile|tel portable|telemovel|mobiel"),
    (Mobile, Strong, "携帯電話|携帯番号|携帯|手机|phone mobile|phone cell"),
    (Title, Strong, "title|job title|position|role|job role|job|jobtitle|designation|occupation|berufsbezeichnung"),
    (Title, Strong, "jobtitel|stellenbezeichnung|funktion|poste|fonction|intitule du poste|cargo|puesto"),
    (Title, Strong, "titulo del puesto|stanowisko|pozice|functie|役職|肩書き|肩書|职位"),
    (Title, Strong, "organization title|organisation title|company title|job position"),
    (Title, Weak, "titel|titre|titulo|headline"),
    (Company, Strong, "company|company name|organization|organisation|organization name|organisation name|account"),
    (Company, Strong, "account name|company account|employer|firm|business name|firma|unternehmen|firmenname"),
    (Company, Strong, "arbeitgeber|societe|entreprise|nom de l entreprise|nom de la societe|empresa|compania"),
    (Company, Strong, "nombre de la empresa|azienda|associated company|organization name|nazwa firmy|spolecnost"),
    (Company, Strong, "nome da empresa|bedrijf|bedrijfsnaam|会社名|会社|企業名|勤務先|所属|公司"),
    (Company, Weak, "business|organisation|org"),
    (Website, Strong, "website|website url|web site|web|company website|domain|company domain|homepage|webseite"),
    (Website, Strong, "internetseite|site web|site internet|sitio web|pagina web|company domain name|web page"),
    (Website, Strong, "strona www|www|associated company domain|associated company domain name"),
    (Website, Weak, "url|website domain"),
    (Industry, Strong, "industry|sector|vertical|branche|industrie|secteur|secteur d activite|industria"),
    (Industry, Strong, "sector industrial|branza|obor"),
    (Industry, Strong, "gics sector|industry sector|business sector|industry group|naics description"),
    (Employees, Strong, "employees|number of employees|no of employees|employee count|employee range|company size"),
    (Employees, Strong, "size|headcount|numemp|num employees|numberofemployees|estimated num employees|staff"),
    (Employees, Strong, "mitarbeiter|anzahl mitarbeiter|mitarbeiterzahl|effectif|empleados|liczba pracownikow"),
    (City, Strong, "city|town|stadt|ort|wohnort|ville|ciudad|localidad|mailing city|person city|miasto|mesto"),
    (City, Strong, "cidade|plaats|woonplaats|市区町村|市町村|城市"),
    (Region, Strong, "region|state|province|county|state region|state province|bundesland|provinz|kanton"),
    (Region, Strong, "departement|provincia|mailing state|person state|wojewodztwo|kraj region"),
    (Region, Strong, "都道府県|省|state abbr|state code|province code|region code"),
    (Country, Strong, "country|country region|country name|nation|land|pays|pais|mailing country|person country"),
    (Country, Strong, "kraj|zeme|stat|land region|pays region|pais region|国|国名|国家"),
    (Location, Strong, "location|address|geo|standort|adresse|localisation|emplacement|ubicacion|direccion"),
    (Location, Strong, "formatted address|full address|adres|endereco|morada|住所|地址"),
    (Location, Strong, "headquarters|headquarters location|headquarters address|hq|hq location|head office"),
    (Location, Strong, "head office address|registered office|firmensitz|hauptsitz|siege social|sede"),
    (City, Strong, "headquarters city|hq city|head office city"),
    (HomeCity, Strong, "home city|private city|privat ort|personal city"),
    (HomeRegion, Strong, "home state|home region|home province|home county|home state region"),
    (HomeCountry, Strong, "home country|home country region|private country"),
    (HomeAddress, Strong, "home address|private address|privatadresse|adresse privee|personal address"),
    (AddressKind, Strong, "address type|address label"),
    (Notes, Strong, "notes|note|comments|comment|description|remarks|notizen|notiz|bemerkung|bemerkungen"),
    (Notes, Strong, "anmerkungen|kommentar|remarques|commentaires|notas|comentarios|observaciones|uwagi"),
    (Notes, Strong, "observacoes|opmerkingen|備考|メモ|备注|additional info|additional information|more info"),
    (LeadSource, Strong, "lead source|source|original source|leadsource|channel|quelle|lead quelle|herkunft|origine"),
    (LeadSource, Strong, "source du lead|origen|fuente|fuente del lead|zrodlo"),
    (Status, Strong, "status|lead status|contact stage|statut|statut du lead|estado|estatus"),
    (Status, Weak, "lifecycle stage|lifecyclestage"),
    (LinkedIn, Strong, "linkedin|linkedin url|linkedin profile|linkedin profile url|person linkedin url"),
    (LinkedIn, Strong, "linkedin link|profile url|linkedin profil"),
    (TimeZone, Strong, "time zone|timezone|tz|time zone name|iana time zone|zeitzone|fuseau horaire|zona horaria"),
    (TimeZone, Strong, "person time zone|contact time zone|local time zone"),
    (EmailOptOut, Strong, "email opt out|email optout|emailoptout|has opted out of email|hasoptedoutofemail"),
    (EmailOptOut, Strong, "opted out of email|unsubscribed|unsubscribe|email unsubscribed|do not email|donotemail"),
    (EmailOptOut, Strong, "dont email|no email|unsubscribed from all email|unsubscribed from all emails|opt out"),
    (EmailOptOut, Strong, "opted out|optout|global unsubscribe|marketing opt out|email opted out|unsub time"),
    (EmailOptOut, Strong, "newsletter abgemeldet|werbewiderspruch|desabonne|desinscrit|baja|email bounced opt out"),
    (
        EmailOptOut,
        Strong,
        "unsubscribed at|unsubscribed on|unsubscribe date|unsubscribed date|unsub date|unsubscribe time",
    ),
    (EmailOptOut, Strong, "unsubscribed time|email bounced|hard bounce|email hard bounced"),
    (EmailOptOut, Strong, "email disabled|emails disabled|email blocked|clean time|cleaned at|cleaned on|bounced at"),
    (SmsOptOut, Strong, "sms opt out|sms optout|do not sms|donotsms|do not text|text opt out|sms unsubscribed"),
    (SmsOptOut, Strong, "opted out of sms|hasoptedoutofsms|sms opted out|whatsapp opt out"),
    (DoNotCall, Strong, "do not call|donotcall|dnc|no calls|phone opt out|call opt out|do not phone|dont call"),
    (DoNotCall, Strong, "telephone opt out|nicht anrufen|ne pas appeler|no llamar"),
    (EmailConsent, Strong, "gdpr consent|email consent|marketing consent|consent|consent to email|accepts marketing"),
    (EmailConsent, Strong, "accepts email marketing|email marketing consent|subscribed|subscribed to emails"),
    (EmailConsent, Strong, "subscribed to newsletter|newsletter|newsletter opt in|opt in|opted in|email opt in"),
    (EmailConsent, Strong, "marketing opt in|email marketing status|email subscription status|gdpr|dsgvo"),
    // Pipedrive's whole header only: HubSpot's "Marketing contact status" (billing, not consent)
    // must not fold into it.
    (EmailConsent, Strong, "person marketing status|email marketing consent status"),
    (
        EmailConsent,
        Strong,
        "einwilligung|consentement|consentimiento|zgoda marketingowa|rgpd|subscription status|boletin",
    ),
    (DealName, Strong, "deal name|dealname|deal|opportunity name|opportunity|deal title|opportunityname"),
    (DealName, Strong, "nom de l affaire|nombre de la oportunidad|verkaufschance|opportunite"),
    (Amount, Strong, "amount|deal amount|deal value|opportunity amount|lead value|deal size|betrag|montant"),
    (Amount, Strong, "importe|amount in company currency|wert|kwota|valeur"),
    (Amount, Strong, "budget amount|opportunity value|estimated value|potential amount"),
    (Amount, Weak, "value|potential value|budget"),
    (Currency, Strong, "currency|currency code|currencyisocode|currency iso code|deal currency|wahrung|devise"),
    (Currency, Strong, "moneda|waluta"),
    (DealStage, Strong, "deal stage|stage|stagename|stage name|opportunity stage|pipeline stage|sales stage|phase"),
    (DealStage, Strong, "etapa|verkaufsphase|etape|etap"),
    (CloseDate, Strong, "close date|closedate|expected close date|expected close|closing date|est close date"),
    (CloseDate, Strong, "abschlussdatum|date de cloture|fecha de cierre|won time|data zamkniecia"),
    (CloseDate, Strong, "expected closing date|expected close time|estimated close date|target close date"),
    (RecordId, Strong, "id"),
    (CreatedAt, Strong, "created at"),
    (CustomFields, Strong, "custom fields"),
];

/// Leading words that qualify a field without changing it ("Work Email", "Person - Phone").
const QUALIFIERS: &str = "work|business|primary|main|contact|person|personal|direct|corporate|office|home|other|\
                          private|lead|your|geschaftlich|privat|professionnel|principal|billing|mailing|the|of|deal|\
                          opportunity|bureau|domicile|travail|zakelijk|prive|secondary|alternate|alternative|additional";

/// Qualifiers of a second value of a person's own (`Secondary Email`, `Alternate Phone`): they
/// qualify contact channels and notes only — an "Alternate Contact" is another person.
const EXTRA_QUALIFIERS: &[&str] = &["secondary", "alternate", "alternative", "additional"];

/// Qualifiers that make an address a home one (`Home City`, `Private Address`).
const HOME_QUALIFIERS: &[&str] = &["home", "private", "privat", "personal", "residential", "wohn", "domicile", "prive"];

/// Looks up a header among the synonyms of the given strength.
pub(crate) fn lookup(header: &str, strength: Strength) -> Option<Field> {
    let key = compact_key(header);
    if key.is_empty() {
        return None;
    }
    SYNONYMS
        .iter()
        .filter(|(_, s, _)| *s == strength)
        .find(|(_, _, phrases)| phrases.split('|').any(|p| compact_key(p) == key))
        .map(|(field, ..)| *field)
}

/// Looks up a header after dropping qualifier words anywhere in it and trailing numbers
/// (`"Person - Email - Work"` → `"email"`, `"Phone 2"` → `"phone"`). Strong synonyms only.
pub(crate) fn lookup_qualified(header: &str) -> Option<Field> {
    let words = crate::canonical::text::words(header);
    if !words.contains(' ') {
        return qualified_run_together(&words);
    }
    let kept: Vec<&str> = words
        .split(' ')
        .filter(|w| !QUALIFIERS.split('|').any(|q| q == *w) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if kept.is_empty() || kept.len() == words.split(' ').count() {
        return None;
    }
    let field = lookup(&kept.join(" "), Strong)?;
    let home = words.split(' ').any(|w| HOME_QUALIFIERS.contains(&w));
    if home && field == Website {
        // A personal website says nothing about the company.
        return None;
    }
    let extra = words.split(' ').any(|w| EXTRA_QUALIFIERS.contains(&w));
    if extra && !matches!(field, Email | Phone | Mobile | Notes) {
        return None;
    }
    Some(if home { home_variant(field) } else { field })
}

/// API-style headers written as one word (`BILLINGCITY`, `MailingCountry`, `HomePhone`): a
/// leading qualifier is cut off and the rest looked up.
fn qualified_run_together(word: &str) -> Option<Field> {
    let qualifier = QUALIFIERS.split('|').find(|q| word.len() > q.len() + 2 && word.starts_with(q))?;
    let field = lookup(&word[qualifier.len()..], Strong)?;
    if EXTRA_QUALIFIERS.contains(&qualifier) && !matches!(field, Email | Phone | Mobile | Notes) {
        return None;
    }
    Some(if HOME_QUALIFIERS.contains(&qualifier) { home_variant(field) } else { field })
}

/// The home-address field for an address field (a home address is the person's, never the
/// company's location); other fields are returned as they are.
pub(crate) fn home_variant(field: Field) -> Field {
    match field {
        City => HomeCity,
        Region => HomeRegion,
        Country => HomeCountry,
        Location => HomeAddress,
        other => other,
    }
}
