//! Keyboard walk-throughs of the real desktop window (issue 17): a deal's stage changes with the
//! arrow keys and Enter without focus falling to `<body>`; every modal gives focus back to the
//! control that opened it; a skip link is the first Tab stop and lands in the main content; and
//! every control on every screen and modal is reached by Tab.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored`.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use fantoccini::{key::Key, Client};
use outpost_tests::{
    id_of,
    keyboard::{self, focus_within, focused, press, press_times},
    screens::{self, Reach, Screen},
    showcase::{self, Showcase},
    webdriver::{connect, start_driver_via, wait_for_cli, Driver},
};
use serde_json::json;

/// The showcase store and the app on it, closed when the test body finishes.
async fn with_app<F, Fut>(body: F) -> Result<()>
where
    F: FnOnce(Client, Showcase) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let showcase = showcase::seed()?;
    let driver: Driver = start_driver_via(|mut command| {
        command.envs(showcase::app_env());
        command
    })?;
    let client = connect(&driver, showcase.ws.data_dir()).await?;
    screens::wait_for_app(&client).await?;
    screens::set_viewport(&client, 1280, 800).await?;
    let closer = client.clone();
    let outcome = body(client, showcase).await;
    let _ = closer.close().await;
    outcome
}

/// Polls `check` until it holds, for up to 30 s — a hang guard, not a window: each poll is a
/// WebDriver round trip, and on a loaded machine 5 s was a handful of them.
async fn eventually<F, Fut>(mut check: F) -> Result<bool>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if check().await? {
            return Ok(true);
        }
        if Instant::now() > deadline {
            return Ok(false);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn arrow_keys_choose_a_stage_and_enter_moves_the_deal_once_keeping_focus_on_its_card() -> Result<()> {
    with_app(|client, showcase| async move {
        let ws = &showcase.ws;
        let deal = id_of(&ws.json(&["deals", "list", "--search", "Bletchley Labs research seats"])?[0])?;
        assert_eq!(ws.json(&["deals", "show", &deal])?["stage"], "Lead");
        let card = format!("[data-testid=deal-card][data-deal-id='{deal}']");
        screens::open(&client, &pipeline()).await?;
        let select = format!("{card} [data-testid=deal-move-select]");
        client.execute("document.querySelector(arguments[0]).focus();", vec![json!(select)]).await?;
        ensure!(focus_within(&client, &select).await?, "could not focus the card's stage control");

        // Two stages down, then Enter: one move, Lead → Proposal.
        press_times(&client, Key::Down, 2).await?;
        let after_arrows = focused(&client).await?;
        press(&client, Key::Enter).await?;
        let moved = wait_for_cli(ws, &["deals", "show", &deal], |d| d["stage"] != "Lead").with_context(|| {
            format!("Enter after two ArrowDowns did not move the deal (focus was on {after_arrows})")
        })?;
        // Give a premature move on the first arrow its chance to show, via the board's own state.
        let in_proposal = format!("[data-testid=stage-column][data-stage=Proposal] {card}");
        let settled = eventually(|| async {
            Ok(client
                .execute("return !!document.querySelector(arguments[0]);", vec![json!(in_proposal)])
                .await?
                .as_bool()
                == Some(true))
        })
        .await?;
        let moves: Vec<_> = ws
            .json(&["audit", "--limit", "1000"])?
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|e| e["entity_id"] == deal.as_str() && e["action"] == "move")
                    .map(|e| e["changes"]["stage"].clone())
                    .collect()
            })
            .unwrap_or_default();
        ensure!(
            moves == [json!(["Lead", "Proposal"])],
            "two ArrowDowns and Enter must move the deal once, Lead → Proposal; the moves were {moves:?} \
             (stage now {}; focus after the arrows: {after_arrows})",
            moved["stage"]
        );
        ensure!(settled, "the card never showed in the Proposal column");
        let kept = eventually(|| focus_within(&client, &card)).await?;
        ensure!(
            kept,
            "after the move, focus fell to {} instead of staying on the deal's card",
            focused(&client).await?
        );
        Ok(())
    })
    .await
}

fn pipeline() -> Screen {
    Screen {
        name: "pipeline",
        reach: Reach::Hash("#/pipeline".into()),
        shows: vec!["Bletchley Labs research seats"],
        ready: None,
        modal: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn every_modal_gives_focus_back_to_the_control_that_opened_it() -> Result<()> {
    with_app(|client, showcase| async move {
        let mut failures = Vec::new();
        for screen in screens::all(&showcase).into_iter().filter(|s| s.modal) {
            let Reach::HashThenClickCss(page, opener) = &screen.reach else {
                bail!("modal {} is not opened by a control", screen.name);
            };
            let page = Screen {
                name: screen.name,
                reach: Reach::Hash(page.clone()),
                shows: vec![],
                ready: None,
                modal: false,
            };
            screens::open(&client, &page).await?;
            screens::wait_until(opener, || async {
                let found = client
                    .execute(
                        "const el = document.querySelector(arguments[0]); if (!el) return false; el.focus(); \
                         return document.activeElement === el;",
                        vec![json!(opener)],
                    )
                    .await?;
                Ok(found.as_bool() == Some(true))
            })
            .await?;
            press(&client, Key::Enter).await?;
            screens::wait_until(&format!("{} to open with Enter", screen.name), || async {
                focus_within(&client, "[role=dialog]").await
            })
            .await?;
            press(&client, Key::Escape).await?;
            let back = eventually(|| focus_within(&client, opener)).await?;
            if !back {
                failures.push(format!(
                    "{}: after Escape focus is on {}, not on {opener}",
                    screen.name,
                    focused(&client).await?
                ));
            }
        }
        ensure!(failures.is_empty(), "modals that lose the keyboard user's place:\n  {}", failures.join("\n  "));
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn a_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content() -> Result<()> {
    with_app(|client, showcase| async move {
        let wanted = ["pipeline", "contacts", "deal", "settings"];
        for screen in screens::all(&showcase).into_iter().filter(|s| wanted.contains(&s.name)) {
            screens::open(&client, &screen).await?;
            keyboard::focus_start(&client).await?;
            press(&client, Key::Tab).await?;
            let first = client
                .execute(
                    "const el = document.activeElement; if (!el || el === document.body) return null; \
                     const r = el.getBoundingClientRect(); \
                     return { text: el.innerText || el.getAttribute('aria-label') || '', \
                              shown: r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0 \
                                     && r.top < innerHeight && r.left < innerWidth };",
                    vec![],
                )
                .await?;
            let text = first["text"].as_str().unwrap_or("").to_lowercase();
            ensure!(
                text.contains("skip") && text.contains("content"),
                "{}: the first Tab stop should be a 'Skip to main content' link, it is {}",
                screen.name,
                focused(&client).await?
            );
            ensure!(first["shown"] == true, "{}: the skip link is focused but not visible on screen", screen.name);
            press(&client, Key::Enter).await?;
            let in_main = eventually(|| focus_within(&client, "main")).await?;
            ensure!(in_main, "{}: the skip link left focus on {}, not in <main>", screen.name, focused(&client).await?);
            press(&client, Key::Tab).await?;
            ensure!(
                focus_within(&client, "main").await?,
                "{}: Tab after the skip link went to {}, outside the main content",
                screen.name,
                focused(&client).await?
            );
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus and tauri-driver: run with `make test-e2e`"]
async fn every_control_on_every_screen_and_modal_is_reached_with_the_tab_key() -> Result<()> {
    with_app(|client, showcase| async move {
        let mut failures = Vec::new();
        for screen in screens::all(&showcase) {
            screens::open(&client, &screen).await?;
            let walk = keyboard::tab_walk(&client).await?;
            if walk.stops.is_empty() {
                failures.push(format!("{}: Tab focused nothing", screen.name));
            }
            for control in walk.unreached {
                failures.push(format!("{}: {control} is never reached with Tab", screen.name));
            }
        }
        ensure!(failures.is_empty(), "controls a keyboard user cannot reach:\n  {}", failures.join("\n  "));
        Ok(())
    })
    .await
}
