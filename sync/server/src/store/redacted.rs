//! Database URLs as they may be shown: a PostgreSQL URL can carry a password
//! (`postgres://user:secret@host/db`, `?password=secret`), and the URL appears in error messages
//! ("cannot open the database …") that end up in terminals, service logs and bug reports.

/// `url` with every password replaced by `***`; anything else as given.
pub fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let (query, fragment) = query.split_once('#').map_or((query, None), |(q, f)| (q, Some(f)));
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
            format!("{path}?{}{fragment}", pairs.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::redacted_url;

    #[test]
    fn passwords_in_the_user_part_and_the_query_are_hidden() {
        assert_eq!(redacted_url("postgres://ann:hunter2@db:5432/outpost"), "postgres://ann:***@db:5432/outpost");
        assert_eq!(
            redacted_url("postgresql://ann@db/outpost?sslmode=disable&PASSWORD=hunter2"),
            "postgresql://ann@db/outpost?sslmode=disable&PASSWORD=***"
        );
        // A password holding '@' or ':' is hidden whole.
        assert_eq!(redacted_url("postgres://ann:p@ss:w0rd@db/x"), "postgres://ann:***@db/x");
    }

    #[test]
    fn urls_without_a_password_are_shown_as_given() {
        for url in [
            "postgres://ann@127.0.0.1:5432/outpost",
            "sqlite:/var/lib/outpost.db",
            "/tmp/x.db",
            "postgres://db/x?sslmode=require",
        ] {
            assert_eq!(redacted_url(url), url);
        }
    }
}
