//! The OAuth HTTP calls behind the core's `OAuthClient` port: the token endpoint (code exchange
//! and refresh, form-encoded), the account check (who the token belongs to) and revocation, for
//! Google and Dropbox. Reading the token endpoint's answer (OAuth errors, `invalid_grant`,
//! lifetimes) and everything a connection stores stays in
//! `outpost_core::integrations::connections`.

use outpost_core::{
    integrations::connections::{OAuthClient, Provider, TokenReply, TokenSet},
    BoxFuture, Error, Result,
};

use crate::Net;

impl OAuthClient for Net {
    fn token<'a>(&'a self, provider: Provider, form: &'a [(&'a str, &'a str)]) -> BoxFuture<'a, Result<TokenReply>> {
        Box::pin(async move {
            let response =
                crate::http::client()?.post(provider.endpoints().token).form(form).send().await.map_err(|e| {
                    Error::Remote(format!("{} token endpoint unreachable: {}", provider.name(), e.without_url()))
                })?;
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            Ok(TokenReply { status: status.as_u16(), status_text: status.to_string(), body })
        })
    }

    fn account<'a>(&'a self, provider: Provider, access_token: &'a str) -> BoxFuture<'a, Result<Option<String>>> {
        Box::pin(async move {
            let client = crate::http::client()?;
            let endpoint = provider.endpoints().account;
            let request = match provider {
                Provider::Google => client.get(endpoint),
                // Dropbox RPC endpoints take a POST with a JSON `null` body.
                Provider::Dropbox => client.post(endpoint).header("Content-Type", "application/json").body("null"),
            };
            let response = request
                .bearer_auth(access_token)
                .send()
                .await
                .map_err(|e| Error::Remote(format!("{} is unreachable: {}", provider.name(), e.without_url())))?;
            if response.status().as_u16() == 401 {
                return Ok(None);
            }
            if !response.status().is_success() {
                return Err(Error::Remote(format!(
                    "{} answered HTTP {} to the account check",
                    provider.name(),
                    response.status()
                )));
            }
            let body: serde_json::Value = response
                .json()
                .await
                .map_err(|e| Error::Remote(format!("{} sent an unreadable account answer ({e})", provider.name())))?;
            Ok(Some(body["email"].as_str().unwrap_or_default().to_owned()))
        })
    }

    fn revoke<'a>(&'a self, provider: Provider, tokens: &'a TokenSet) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let endpoint = provider.endpoints().revoke;
            let client = crate::http::client()?;
            let request = match provider {
                Provider::Google => {
                    let token = tokens.refresh_token.as_deref().unwrap_or(&tokens.access_token);
                    client.post(endpoint).form(&[("token", token)])
                }
                Provider::Dropbox => client.post(endpoint).bearer_auth(&tokens.access_token),
            };
            let response = request.send().await.map_err(|e| {
                Error::Remote(format!("{} revocation endpoint unreachable: {}", provider.name(), e.without_url()))
            })?;
            let status = response.status();
            // 400/401 from a revocation endpoint means the token is already invalid: nothing left to revoke.
            if status.is_success() || status.as_u16() == 400 || status.as_u16() == 401 {
                Ok(())
            } else {
                Err(Error::Remote(format!("{} refused to revoke the tokens (HTTP {status})", provider.name())))
            }
        })
    }
}
