//! Using the real window without a mouse: WebDriver key presses (the Actions API, so keys go to
//! whatever has focus, as a user's keyboard does), what has focus, and Tab walks that record
//! every element focus lands on.
//!
//! "Every action reachable without a mouse" is checked from the page itself: every visible,
//! enabled control (buttons, links, fields, `[tabindex]`, and any element React gave an `onClick`)
//! is a candidate; a Tab walk must land on each one, except a clickable container whose own
//! focusable child does the same job (a deal card and its title link) and items of composite
//! widgets that are reached with the arrow keys.

use anyhow::{Context, Result};
use fantoccini::{
    actions::{InputSource, KeyAction, KeyActions},
    key::Key,
    Client,
};
use serde_json::{json, Value};

/// Presses and releases `key` once.
pub async fn press(client: &Client, key: Key) -> Result<()> {
    press_times(client, key, 1).await
}

/// Presses and releases `key` `times` times, in one action sequence.
pub async fn press_times(client: &Client, key: Key, times: usize) -> Result<()> {
    let value: char = key.into();
    let mut keys = KeyActions::new("keyboard".into());
    for _ in 0..times {
        keys = keys.then(KeyAction::Down { value }).then(KeyAction::Up { value });
    }
    client.perform_actions(keys).await.with_context(|| format!("press {key:?} x{times}"))?;
    Ok(())
}

/// Presses Shift+Tab once.
pub async fn press_shift_tab(client: &Client) -> Result<()> {
    let (shift, tab): (char, char) = (Key::Shift.into(), Key::Tab.into());
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: shift })
        .then(KeyAction::Down { value: tab })
        .then(KeyAction::Up { value: tab })
        .then(KeyAction::Up { value: shift });
    client.perform_actions(keys).await.context("press Shift+Tab")?;
    Ok(())
}

/// A short description of the focused element: tag, test id, label or text (`<body>` if none).
pub async fn focused(client: &Client) -> Result<String> {
    let v = client.execute(&format!("{DESCRIBE} return describe(document.activeElement);"), vec![]).await?;
    Ok(v.as_str().unwrap_or("<none>").to_owned())
}

/// Whether the focused element matches `css` or is inside an element that does.
pub async fn focus_within(client: &Client, css: &str) -> Result<bool> {
    let v = client
        .execute(
            "const el = document.activeElement; return !!(el && el !== document.body && el.closest(arguments[0]));",
            vec![json!(css)],
        )
        .await?;
    Ok(v.as_bool().unwrap_or(false))
}

/// Moves focus to the start of the document (nothing focused), as a freshly opened page has it.
pub async fn focus_start(client: &Client) -> Result<()> {
    client
        .execute(
            "if (document.activeElement && document.activeElement.blur) document.activeElement.blur(); \
             window.getSelection()?.removeAllRanges(); \
             const probe = document.createElement('span'); probe.tabIndex = -1; \
             document.body.prepend(probe); probe.focus(); probe.remove();",
            vec![],
        )
        .await
        .context("move focus to the start of the page")?;
    Ok(())
}

const DESCRIBE: &str = "const describe = (el) => { \
    if (!el || el === document.body || el === document.documentElement) return '<body>'; \
    const tag = el.tagName.toLowerCase(); \
    const id = el.getAttribute('data-testid'); \
    const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) \
      || el.getAttribute('placeholder') || el.innerText || el.value || el.getAttribute('name') || ''; \
    return `<${tag}${id ? ` data-testid=${id}` : ''}> \"${String(label).trim().replace(/\\s+/g, ' ').slice(0, 60)}\"`; };";

/// What one Tab walk over a screen found.
#[derive(Debug)]
pub struct TabWalk {
    /// Descriptions of the stops, in order.
    pub stops: Vec<String>,
    /// Controls no Tab press reached.
    pub unreached: Vec<String>,
}

/// Marks every keyboard candidate on the page (inside the open dialog, if there is one), then
/// presses Tab from the start of the page until focus has come round again (at most the number of
/// candidates + 10 presses) and reports the stops and the candidates never reached.
pub async fn tab_walk(client: &Client) -> Result<TabWalk> {
    let count = client.execute(&format!("{DESCRIBE} {MARK}"), vec![]).await.context("mark the controls")?;
    let count = usize::try_from(count.as_u64().unwrap_or(0)).unwrap_or(0);
    let in_dialog = client.execute("return !!document.querySelector('[role=dialog]');", vec![]).await?;
    if in_dialog.as_bool() != Some(true) {
        focus_start(client).await?;
    }
    client.execute("window.__kbdLog = [];", vec![]).await?;
    press_times(client, Key::Tab, count + 10).await?;
    let report: Value = client.execute(&format!("{DESCRIBE} {COLLECT}"), vec![]).await?;
    let strings = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    Ok(TabWalk { stops: strings("stops"), unreached: strings("unreached") })
}

/// Marks candidates with `data-kbd`, starts a focus log; returns the number of candidates.
const MARK: &str = r#"
const scope = document.querySelector('[role=dialog]') || document;
document.querySelectorAll('[data-kbd]').forEach((el) => el.removeAttribute('data-kbd'));
const FOCUSABLE = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], [contenteditable=true]';
const reactProps = (el) => { const k = Object.keys(el).find((k) => k.startsWith('__reactProps$')); return k ? el[k] : null; };
const visible = (el) => { if (el.closest('[inert], [aria-hidden=true]')) return false;
  const r = el.getBoundingClientRect(); if (r.width === 0 && r.height === 0) return false;
  const s = getComputedStyle(el); return s.visibility !== 'hidden' && s.display !== 'none'; };
const composite = (el) => !!el.parentElement?.closest('[role=listbox], [role=menu], [role=menubar], [role=tablist], [role=radiogroup], [role=grid], [role=tree], [role=toolbar]');
const candidates = [];
for (const el of scope.querySelectorAll('*')) {
  if (!visible(el) || el.disabled) continue;
  const native = el.matches(FOCUSABLE) && el.getAttribute('tabindex') !== '-1';
  const props = reactProps(el);
  const clickable = !!(props && props.onClick) && !el.matches('label, form, [role=dialog], .modal-backdrop');
  if (el.getAttribute('tabindex') === '-1' && !props?.onClick && !props?.onKeyDown) continue;
  if (!native && !clickable) continue;
  if (composite(el)) continue;
  if (!native && (el.querySelector(FOCUSABLE) || el.parentElement?.closest(FOCUSABLE))) continue;
  if (el.matches('input[type=radio]') && !el.checked && scope.querySelector(`input[type=radio][name="${el.name}"]:checked`)) continue;
  candidates.push(el);
}
candidates.forEach((el, i) => el.setAttribute('data-kbd', String(i)));
window.__kbdLog = [];
if (!window.__kbdListening) {
  // focusin misses WebKit's date fields (focus moves between their inner segments), so the
  // element focused when each key is released is logged too.
  window.__kbdListening = true;
  const log = (el) => { const l = window.__kbdLog; if (l && el && l[l.length - 1] !== el) l.push(el); };
  document.addEventListener('focusin', (e) => log(e.target), true);
  document.addEventListener('keyup', () => log(document.activeElement), true);
}
return candidates.length;
"#;

/// The stops of the walk and the marked candidates it never reached.
const COLLECT: &str = r#"
const log = window.__kbdLog || [];
const reached = new Set(log.map((el) => el.getAttribute && el.getAttribute('data-kbd')).filter((k) => k !== null));
const unreached = [...document.querySelectorAll('[data-kbd]')].filter((el) => !reached.has(el.getAttribute('data-kbd'))).map(describe);
return { stops: log.map(describe), unreached };
"#;
