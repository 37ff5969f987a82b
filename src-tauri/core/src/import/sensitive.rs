//! Columns a CRM must not keep: passwords, payment-card data (number, CVV, expiry), national
//! identity numbers (SSN, national insurance), security questions ("mother's maiden name") and
//! API secrets. Generated test-person files (Fake Name Generator's `Password`, `CCNumber`,
//! `CVV2`, `NationalID`, `MothersMaiden`) and careless user-table dumps carry them next to
//! names and emails; copying them into every contact's custom fields, the sync log and the
//! LLM context would spread them further. Automatic mapping leaves such columns out, and the
//! import says so in a file notice; a mapping the user writes may still keep one on purpose.

use crate::canonical::text::compact_key;

/// Folded headers ([`compact_key`]) of columns holding secrets.
const SECRET_HEADERS: &[&str] = &[
    // Passwords and secrets.
    "password",
    "passwords",
    "passwd",
    "pwd",
    "passwordhash",
    "hashedpassword",
    "encryptedpassword",
    "userpassword",
    "passwort",
    "kennwort",
    "motdepasse",
    "contrasena",
    "senha",
    "haslo",
    "heslo",
    "apikey",
    "apisecret",
    "secretkey",
    "privatekey",
    "accesstoken",
    "refreshtoken",
    "securityquestion",
    "securityanswer",
    "mothersmaiden",
    "mothersmaidenname",
    // Payment cards.
    "ccnumber",
    "creditcard",
    "creditcardnumber",
    "cardnumber",
    "ccnum",
    "pan",
    "kreditkarte",
    "kreditkartennummer",
    "numerodecarte",
    "numerodetarjeta",
    "cvv",
    "cvv2",
    "cvc",
    "cvc2",
    "cardverificationvalue",
    "cardsecuritycode",
    "ccexpires",
    "ccexpiry",
    "ccexp",
    "cardexpiry",
    "cardexpiration",
    "cardexpirationdate",
    // National identity numbers.
    "ssn",
    "socialsecurity",
    "socialsecuritynumber",
    "nationalid",
    "nationalidnumber",
    "nationalinsurancenumber",
    "nino",
    "sozialversicherungsnummer",
    "personalausweisnummer",
    "numerodesecuritesociale",
    "pesel",
];

/// Whether a column with this header holds data a CRM must not store.
pub(crate) fn is_secret(header: &str) -> bool {
    let key = compact_key(header);
    !key.is_empty() && SECRET_HEADERS.contains(&key.as_str())
}

/// The file notice for secret columns left out of an import (none when there are none).
pub(crate) fn notice(left_out: &[&str]) -> Option<String> {
    if left_out.is_empty() {
        return None;
    }
    let quoted: Vec<String> = left_out.iter().map(|h| format!("'{h}'")).collect();
    Some(format!(
        "column{} {} left out: passwords, payment-card and national ID numbers are not stored in a CRM (map a \
         column yourself to keep it)",
        if left_out.len() == 1 { "" } else { "s" },
        quoted.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::{is_secret, notice};

    #[test]
    fn secret_columns_are_told_by_their_headers() {
        for header in
            ["Password", "CCNumber", "CVV2", "NationalID", "MothersMaiden", "SSN", "Credit Card Number", "API Key"]
        {
            assert!(is_secret(header), "{header}");
        }
        for header in ["Email", "Username", "Company", "Birthday", "Card", "National", "Phone", "Expiry"] {
            assert!(!is_secret(header), "{header}");
        }
        assert_eq!(notice(&[]), None);
        assert!(notice(&["Password", "CVV2"]).is_some_and(|n| n.contains("'Password', 'CVV2'")));
    }
}
