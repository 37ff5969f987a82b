//! Every screen, detail screen and modal of the desktop app on the [`showcase`](crate::showcase)
//! store, and how to reach each one in the real window and wait until it has finished loading and
//! painting. The visual, accessibility and keyboard tests all walk this one list, so a new screen
//! added here is covered by all three.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{key::Key, Client};
use serde_json::{json, Value};

use crate::showcase::Showcase;

/// How to reach a screen from anywhere in the app.
#[derive(Debug, Clone)]
pub enum Reach {
    /// Set `location.hash` (the app's router).
    Hash(String),
    /// Set `location.hash`, then click the button or link whose visible text is exactly this.
    HashThenClick(String, &'static str),
    /// Set `location.hash`, then click the element matching this CSS selector.
    HashThenClickCss(String, &'static str),
}

/// One screen, detail screen or modal.
#[derive(Debug, Clone)]
pub struct Screen {
    /// Short stable name, used in file names and failure messages (`deal`, `new-deal-modal`).
    pub name: &'static str,
    /// How to get there.
    pub reach: Reach,
    /// Texts the document must show once the screen has loaded (seeded data).
    pub shows: Vec<&'static str>,
    /// A CSS selector that must match once loaded, if the texts are not enough.
    pub ready: Option<&'static str>,
    /// Whether this is a modal dialog (`[role=dialog]` must be open).
    pub modal: bool,
}

fn screen(name: &'static str, reach: Reach, shows: &[&'static str]) -> Screen {
    Screen { name, reach, shows: shows.to_vec(), ready: None, modal: false }
}

fn modal(name: &'static str, reach: Reach, shows: &[&'static str]) -> Screen {
    Screen { name, reach, shows: shows.to_vec(), ready: Some("[role=dialog]"), modal: true }
}

fn hash(h: &str) -> Reach {
    Reach::Hash(h.to_owned())
}

/// Every screen of the app on the showcase store, in nav order, each detail screen and modal
/// after the screen it belongs to.
pub fn all(showcase: &Showcase) -> Vec<Screen> {
    let deal = format!("#/deals/{}", showcase.deal);
    let contact = format!("#/contacts/{}", showcase.contact);
    let company = format!("#/companies/{}", showcase.company);
    let brief = format!("#/meetings/{}/brief", showcase.meeting);
    vec![
        screen("pipeline", hash("#/pipeline"), &["Analytical Engines pilot", "Orbital Dynamics partnership"]),
        modal("new-deal-modal", Reach::HashThenClickCss("#/pipeline".into(), "[data-testid=new-deal]"), &["New deal"]),
        screen(
            "deal",
            hash(&deal),
            &["Analytical Engines pilot", "We promised a sandbox by 20 March", "Discovery call"],
        ),
        modal("edit-deal-modal", Reach::HashThenClickCss(deal.clone(), "[data-testid=edit-deal]"), &["Edit deal"]),
        screen("contacts", hash("#/contacts"), &["Ada Lovelace", "Radia Perlman"]),
        modal(
            "new-contact-modal",
            Reach::HashThenClickCss("#/contacts".into(), "[data-testid=new-contact]"),
            &["New contact"],
        ),
        screen(
            "contact",
            hash(&contact),
            &["Ada Lovelace", "Head of Research", "Prefers a one-page summary before calls"],
        ),
        modal(
            "edit-contact-modal",
            Reach::HashThenClickCss(contact.clone(), "[data-testid=edit-contact]"),
            &["Edit Ada Lovelace"],
        ),
        screen("companies", hash("#/companies"), &["Analytical Engines", "Orbital Dynamics"]),
        modal(
            "new-company-modal",
            Reach::HashThenClickCss("#/companies".into(), "[data-testid=new-company]"),
            &["New company"],
        ),
        screen("company", hash(&company), &["Analytical Engines", "Ada Lovelace", "Analytical Engines pilot"]),
        modal(
            "edit-company-modal",
            Reach::HashThenClickCss(company.clone(), "[data-testid=edit-company]"),
            &["Edit Analytical Engines"],
        ),
        screen("tasks", hash("#/tasks"), &["Send the security questionnaire", "Update the account plan"]),
        screen("meetings", hash("#/meetings"), &["Pilot kick-off with Analytical Engines", "Orbital pricing call"]),
        Screen {
            ready: Some("[data-testid=meeting-detail] [data-testid=attendee]"),
            ..screen(
                "meeting-detail",
                Reach::HashThenClick("#/meetings".into(), "Pilot kick-off with Analytical Engines"),
                &["Frances Allen"],
            )
        },
        screen("brief", hash(&brief), &["Pilot kick-off with Analytical Engines", "Initech"]),
        screen("alerts", hash("#/alerts"), &["Send the security questionnaire"]),
        Screen { ready: Some("[data-testid=team-rep]"), ..screen("team", hash("#/team"), &[]) },
        screen("import", hash("#/import"), &["spring-conference-leads.csv"]),
        screen("watched", hash("#/watched"), &["/tmp/outpost-showcase/inbox"]),
        screen("sync", hash("#/sync"), &[]),
        screen("connections", hash("#/connections"), &[]),
        screen("outbound", hash("#/outbound"), &[]),
        Screen { ready: Some("[data-testid=settings-form] input"), ..screen("settings", hash("#/settings"), &[]) },
    ]
}

/// Styles for stable screenshots: no caret blink, no animations or transitions (skeleton shimmer,
/// hover fades), and no overlay scrollbars (GTK fades their indicators in after a scroll and out
/// a second later, so a screenshot may or may not catch one; they take no space, so hiding them
/// changes no layout). Colours and focus rings are untouched.
const STILL_CSS: &str = "*, *::before, *::after { animation: none !important; transition: none !important; \
                         caret-color: transparent !important; } \
                         ::-webkit-scrollbar { display: none !important; } \
                         input[data-outpost-empty-date], input[data-outpost-empty-date]::-webkit-datetime-edit \
                         { color: transparent !important; }";

/// Injects [`STILL_CSS`] once per page (it survives hash navigation), then shows another screen so
/// that the first screen is rendered afresh under it (WebKit picks a scroll container's scrollbar
/// kind when the container is created).
pub async fn hold_still(client: &Client) -> Result<()> {
    client
        .execute(
            "if (!document.getElementById('outpost-test-still')) { const s = document.createElement('style'); \
             s.id = 'outpost-test-still'; s.textContent = arguments[0]; document.head.appendChild(s); }",
            vec![json!(STILL_CSS)],
        )
        .await
        .context("inject the still-screen stylesheet")?;
    client.execute("window.location.hash = '#/settings';", vec![]).await?;
    wait_until("the settings screen after the stylesheet", || async {
        let shown = client.execute("return !!document.querySelector('main h1');", vec![]).await?;
        Ok(shown.as_bool() == Some(true))
    })
    .await
}

/// Marks empty date and time fields so [`STILL_CSS`] hides their placeholder: WebKitGTK draws
/// today's date there from the system clock, which the app's fixed clock cannot reach. Filled
/// fields are untouched.
pub async fn hide_native_today(client: &Client) -> Result<()> {
    client
        .execute(
            "document.querySelectorAll('input[type=date], input[type=time], input[type=datetime-local], \
             input[type=month], input[type=week]').forEach((el) => el.toggleAttribute('data-outpost-empty-date', !el.value));",
            vec![],
        )
        .await
        .context("mark empty date fields")?;
    Ok(())
}

/// Waits for the app's first screen after the window opens.
pub async fn wait_for_app(client: &Client) -> Result<()> {
    crate::webdriver::wait_for(client, "main").await?;
    Ok(())
}

/// Goes to `screen` and waits until it shows its seeded texts, nothing is loading, and (for a
/// modal) the dialog is open. Any open dialog is closed with Escape first.
pub async fn open(client: &Client, screen: &Screen) -> Result<()> {
    let outcome = open_inner(client, screen).await;
    if outcome.is_err() {
        // Show what the window looked like instead of the expected screen.
        if let Ok(path) =
            crate::webdriver::save_screenshot(client, &format!("failed-to-open-{}.png", screen.name)).await
        {
            return outcome.with_context(|| format!("the window at that moment: {}", path.display()));
        }
    }
    outcome
}

async fn open_inner(client: &Client, screen: &Screen) -> Result<()> {
    close_dialogs(client).await?;
    let (target, click) = match &screen.reach {
        Reach::Hash(h) => (h.as_str(), None),
        Reach::HashThenClick(h, text) => (h.as_str(), Some(Click::Text(text))),
        Reach::HashThenClickCss(h, css) => (h.as_str(), Some(Click::Css(css))),
    };
    client
        .execute("if (window.location.hash !== arguments[0]) window.location.hash = arguments[0];", vec![json!(target)])
        .await?;
    if let Some(click) = click {
        // The opener must be there (its screen loaded) before it can be clicked.
        wait_until(&format!("{} opener", screen.name), || async {
            let clicked = match click {
                Click::Text(text) => client.execute(CLICK_TEXT, vec![json!(text)]).await?,
                Click::Css(css) => client.execute(CLICK_CSS, vec![json!(css)]).await?,
            };
            Ok(clicked.as_bool().unwrap_or(false))
        })
        .await?;
    }
    let shows = json!(screen.shows);
    let (modal, css) = (screen.modal, screen.ready.unwrap_or("main"));
    wait_until(&format!("{} to load ({:?}, {css})", screen.name, screen.shows), || async {
        let ready = client.execute(READY, vec![shows.clone(), json!(modal), json!(css)]).await?;
        Ok(ready.as_bool().unwrap_or(false))
    })
    .await
}

#[derive(Clone, Copy)]
enum Click<'a> {
    Text(&'a str),
    Css(&'a str),
}

const CLICK_TEXT: &str = "const text = arguments[0]; \
    const hit = [...document.querySelectorAll('main button, main a')].find((el) => el.textContent.trim() === text); \
    if (!hit) return false; hit.click(); return true;";

const CLICK_CSS: &str =
    "const hit = document.querySelector(arguments[0]); if (!hit) return false; hit.click(); return true;";

/// True when the document shows every text, nothing is busy or skeletal, fonts are loaded, and a
/// dialog is open exactly when one is expected.
const READY: &str = "const [shows, modal, css] = arguments; \
    const text = document.body.innerText; \
    if (!document.querySelector(css)) return false; \
    if (!shows.every((s) => text.includes(s))) return false; \
    if (document.querySelector('[aria-busy=true], .skeleton')) return false; \
    if (text.includes('Loading…')) return false; \
    if (document.fonts && document.fonts.status !== 'loaded') return false; \
    return !!document.querySelector('[role=dialog]') === modal;";

/// Closes any open dialog with Escape and waits until it is gone.
pub async fn close_dialogs(client: &Client) -> Result<()> {
    let open = client.execute("return !!document.querySelector('[role=dialog]');", vec![]).await?;
    if open.as_bool() != Some(true) {
        return Ok(());
    }
    crate::keyboard::press(client, Key::Escape).await?;
    wait_until("the dialog to close", || async {
        let open = client.execute("return !!document.querySelector('[role=dialog]');", vec![]).await?;
        Ok(open.as_bool() == Some(false))
    })
    .await
}

/// Polls `check` until it is true, for up to 20 s (each poll is a WebDriver round trip).
pub async fn wait_until<F, Fut>(what: &str, mut check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if check().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out after 20 s waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Resizes the window so that the page's viewport is exactly `width`×`height` CSS pixels
/// (window decorations, if any, are measured and added).
pub async fn set_viewport(client: &Client, width: u32, height: u32) -> Result<()> {
    client.set_window_size(width, height).await.context("resize the window")?;
    let inner = viewport(client).await?;
    if inner != (width, height) {
        // The window's size includes decorations: grow it by the difference.
        let outer = (width + width.saturating_sub(inner.0), height + height.saturating_sub(inner.1));
        client.set_window_size(outer.0, outer.1).await.context("resize the window")?;
    }
    let inner = viewport(client).await?;
    if inner != (width, height) {
        bail!("could not size the viewport to {width}x{height}: it is {}x{}", inner.0, inner.1);
    }
    Ok(())
}

async fn viewport(client: &Client) -> Result<(u32, u32)> {
    let v: Value = client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await?;
    let dim = |i: usize| v[i].as_u64().and_then(|n| u32::try_from(n).ok()).context("viewport size");
    Ok((dim(0)?, dim(1)?))
}

/// A screenshot taken once painting has settled: screenshots are taken until two in a row are
/// identical (WebKitGTK paints asynchronously after the DOM is ready), for up to 10 s.
pub async fn settled_screenshot(client: &Client) -> Result<Vec<u8>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut last = client.screenshot().await.context("take a screenshot")?;
    loop {
        let next = client.screenshot().await.context("take a screenshot")?;
        if next == last {
            return Ok(next);
        }
        if Instant::now() > deadline {
            bail!("the window never stopped changing for two screenshots in a row within 10 s");
        }
        last = next;
    }
}
