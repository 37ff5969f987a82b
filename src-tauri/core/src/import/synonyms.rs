//! Header synonyms: how CRM exports (HubSpot, Salesforce, Apollo, Pipedrive, LinkedIn…) and
//! English, German, French and Spanish spreadsheets name each lead field.
//!
//! Phrases are written naturally and compared after [`compact_key`] folding, so `"E-Mail"`,
//! `"e_mail"` and `"EMAIL"` are the same entry. *Strong* phrases are unambiguous; *weak* ones are
//! only used when no strong column claimed the field (e.g. HubSpot's "Lifecycle Stage" is a
//! status only if there is no "Lead Status").

use super::{text::compact_key, Field};

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
    (FirstName, Strong, "nombre de pila|nome"),
    (LastName, Strong, "last name|lastname|last|surname|family name|person last name|nachname|familienname"),
    (LastName, Strong, "nom de famille|nom|apellido|apellidos|cognome"),
    (FullName, Strong, "name|full name|fullname|contact name|contact|person name|lead name|display name"),
    (FullName, Strong, "vollstandiger name|nom complet|nombre completo|nome completo"),
    (Email, Strong, "email|e mail|email address|e mail address|mail|email 1|primary email|work email|business email"),
    (Email, Strong, "emails|e mail adresse|emailadresse|courriel|adresse email|adresse e mail|adresse courriel"),
    (Email, Strong, "correo|correo electronico|email personal|direccion de correo|direccion de correo electronico"),
    (Phone, Strong, "phone|phone number|telephone|tel|telephone number|work phone|business phone|office phone"),
    (Phone, Strong, "first phone|primary phone|direct phone|work direct phone|phone 1|telefon|telefonnummer"),
    (Phone, Strong, "rufnummer|telephone fixe|numero de telephone|telefono|numero de telefono"),
    (Mobile, Strong, "mobile|mobile phone|mobile phone number|mobile number|cell|cell phone|cellphone|mobil"),
    (Mobile, Strong, "mobiltelefon|handy|handynummer|mobilnummer|portable|telephone portable|telephone mobile|movil"),
    (Mobile, Strong, "telefono movil|celular"),
    (Title, Strong, "title|job title|position|role|job role|job|jobtitle|designation|occupation|berufsbezeichnung"),
    (Title, Strong, "jobtitel|stellenbezeichnung|funktion|poste|fonction|intitule du poste|cargo|puesto"),
    (Title, Strong, "titulo del puesto"),
    (Title, Weak, "titel|titre|titulo|headline"),
    (Company, Strong, "company|company name|organization|organisation|organization name|organisation name|account"),
    (Company, Strong, "account name|company account|employer|firm|business name|firma|unternehmen|firmenname"),
    (Company, Strong, "arbeitgeber|societe|entreprise|nom de l entreprise|nom de la societe|empresa|compania"),
    (Company, Strong, "nombre de la empresa|azienda"),
    (Website, Strong, "website|website url|web site|web|company website|domain|company domain|homepage|webseite"),
    (Website, Strong, "internetseite|site web|site internet|sitio web|pagina web"),
    (Website, Weak, "url|website domain"),
    (Industry, Strong, "industry|sector|vertical|branche|industrie|secteur|secteur d activite|industria"),
    (Industry, Strong, "sector industrial"),
    (City, Strong, "city|town|stadt|ort|wohnort|ville|ciudad|localidad|mailing city|person city"),
    (Country, Strong, "country|country region|country name|nation|land|pays|pais|mailing country|person country"),
    (Location, Strong, "location|address|region|geo|standort|adresse|localisation|emplacement|ubicacion|direccion"),
    (Notes, Strong, "notes|note|comments|comment|description|remarks|notizen|notiz|bemerkung|bemerkungen"),
    (Notes, Strong, "anmerkungen|kommentar|remarques|commentaires|notas|comentarios|observaciones"),
    (LeadSource, Strong, "lead source|source|original source|leadsource|channel|quelle|lead quelle|herkunft|origine"),
    (LeadSource, Strong, "source du lead|origen|fuente|fuente del lead"),
    (Status, Strong, "status|lead status|stage|contact stage|statut|statut du lead|estado|estatus|etapa"),
    (Status, Weak, "lifecycle stage|lifecyclestage"),
    (LinkedIn, Strong, "linkedin|linkedin url|linkedin profile|linkedin profile url|person linkedin url"),
    (LinkedIn, Strong, "linkedin link|profile url|linkedin profil"),
];

/// Leading words that qualify a field without changing it ("Work Email", "Person - Phone").
const QUALIFIERS: &str = "work|business|primary|main|contact|person|personal|direct|corporate|office|home|other|\
                          private|lead|your|geschaftlich|privat|professionnel|principal";

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
    let words = super::text::words(header);
    let kept: Vec<&str> = words
        .split(' ')
        .filter(|w| !QUALIFIERS.split('|').any(|q| q == *w) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    if kept.is_empty() || kept.len() == words.split(' ').count() {
        return None;
    }
    lookup(&kept.join(" "), Strong)
}
