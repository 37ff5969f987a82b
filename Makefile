# Outpost: two commands do everything on a fresh Debian 12 machine.
#   make run   installs what is missing, builds, and opens the desktop app on the default data dir
#   make test  installs what is missing and runs every test (lint, Rust, UI, real-window end-to-end)
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

APT_PACKAGES := build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev \
	libsoup-3.0-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev \
	xvfb xauth webkit2gtk-driver dbus dbus-x11 libdbus-1-dev sqlite3 postgresql python3-venv \
	gnome-keyring keyutils libsecret-tools xdg-utils dunst
TOOLS := $(CURDIR)/.tools
TAURI_DRIVER := $(TOOLS)/bin/tauri-driver
TAURI_DRIVER_VERSION := 2.1.0
# S3-compatible server for the watched-bucket tests (a real server on 127.0.0.1, from PyPI).
MOTO_VERSION := 5.2.5
MOTO_SERVER := $(TOOLS)/venv/bin/moto_server
# Independent reference expansion for the calendar corpus test (Python icalendar +
# recurring_ical_events from PyPI, pinned in tests/oracle/requirements.txt).
CALENDAR_ORACLE := $(TOOLS)/calendar-oracle/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARTIFACTS := $(CURDIR)/artifacts

.PHONY: help run test deps apt-deps rust-check node-deps tauri-driver moto axe calendar-oracle calendar-corpus bindings generate ui build \
	lint test-rust test-ui test-e2e approve-screenshots screenshot soak bench clean

help:
	@echo "make run    - install what is missing, build, open Outpost on the default data dir"
	@echo "make test   - install what is missing and run every test"
	@echo "make screenshot - save artifacts/pipeline-board.png of the board with sample data"
	@echo "make approve-screenshots - approve the current look of every screen as the visual baselines"
	@echo "make generate - rewrite ui/src/gen: command wrappers (commands/table.rs) and the test double's rules (crm/request_rules.rs)"
	@echo "make soak   - 10,000 seeded CRDT convergence runs"
	@echo "make bench  - the benchmarks recorded in BENCHMARKS.md"

# ---------------------------------------------------------------- set-up
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

rust-check:
	@command -v cargo >/dev/null || { echo "Rust is not installed: install it with rustup (https://rustup.rs), then re-run make."; exit 1; }

node-deps: apt-deps
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then \
		cd ui && npm ci --no-audit --no-fund; \
	fi

tauri-driver: rust-check
	@[ -x $(TAURI_DRIVER) ] || cargo install --quiet --locked --root $(TOOLS) tauri-driver --version $(TAURI_DRIVER_VERSION)

moto:
	@[ -x $(MOTO_SERVER) ] || { python3 -m venv $(TOOLS)/venv && \
		$(TOOLS)/venv/bin/pip install --quiet 'moto[server]==$(MOTO_VERSION)'; }

calendar-oracle: apt-deps
	@[ -x $(CALENDAR_ORACLE) ] && $(CALENDAR_ORACLE) -c 'import recurring_ical_events' 2>/dev/null || { \
		python3 -m venv $(TOOLS)/calendar-oracle && \
		$(TOOLS)/calendar-oracle/bin/pip install --quiet -r tests/oracle/requirements.txt; }

deps: apt-deps rust-check node-deps

# ---------------------------------------------------------------- build
# TypeScript types of everything the UI receives are generated from the Rust types (ts-rs).
bindings: deps
	cargo test --quiet -p outpost-core --lib export_bindings >/dev/null

ui: bindings
	cd ui && npm run --silent build

# The UI's typed command wrappers (ui/src/gen/commands.ts) come from the command table,
# src-tauri/src/commands/table.rs, and the UI test double's validation rules and their examples
# (ui/src/gen/rules.ts) from outpost_core::crm::request_rules (the entity definitions);
# `make lint` and `cargo test -p outpost-desktop` fail while either file is stale. (The desktop
# crate embeds ui/dist, so a first build skips the type check.)
generate: bindings
	@[ -d ui/dist ] || (cd ui && npx --no-install vite build --logLevel error)
	OUTPOST_REGENERATE=1 cargo test --quiet -p outpost-desktop --bin outpost-desktop generated_ui_

# Every binary: outpost (crate outpost-cli), outpost-desktop, outpost-server, sync-bench. The
# tests crate also builds the `outpost` CLI itself before using it (tests/lib.rs workspace_bin), so
# `cargo test -p outpost-tests --test cli` works without this step; the other binaries need it.
build: ui
	cargo build --workspace --bins

run: build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "No display found: starting Outpost under a virtual X server (see it with 'make screenshot')."; \
		dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" ./target/debug/outpost-desktop; \
	else \
		./target/debug/outpost-desktop; \
	fi

# ---------------------------------------------------------------- checks
# Stylelint on ui/src/*.css, then every class the components use must have a rule of its own in
# the built ui/dist CSS (ui/scripts/class-check.mjs; see ui/README.md "UI checks").
lint: ui
	cd ui && npm run --silent lint
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cargo test --quiet -p outpost-desktop --bin outpost-desktop generated_ui_

test-rust: build moto calendar-oracle
	MOTO_SERVER=$(MOTO_SERVER) OUTPOST_CALENDAR_ORACLE=$(CALENDAR_ORACLE) cargo test --workspace
	@$(MAKE) --no-print-directory calendar-corpus
	@# The real-world CSV corpus again, to show its score (cargo test hides a passing test's output).
	@cargo test -q -p outpost-tests --test cli real_world_exports_import_as_hand_checked -- --nocapture 2>&1 \
		| grep -E "^[0-9]+/[0-9]+ exports as expected$$"

# The calendar corpus against the reference, printing "N/M calendars match the reference".
calendar-corpus: calendar-oracle
	OUTPOST_CALENDAR_ORACLE=$(CALENDAR_ORACLE) cargo test --quiet -p outpost-core --test calendar_corpus -- --nocapture

test-ui: ui
	cd ui && npm test --silent

# The real desktop window under Xvfb + D-Bus, driven by tauri-driver + WebKitWebDriver. The test
# binaries are built first so that E2E_TIMEOUT (seconds) bounds only the run itself.
E2E_TESTS := --test desktop --test desktop_import --test desktop_copilot --test desktop_sync --test desktop_signin \
	--test desktop_notifications --test desktop_meetings --test desktop_visual --test desktop_a11y --test desktop_keyboard \
	--test desktop_capability \
	--test desktop_changes
E2E_TIMEOUT ?= 900
E2E_RUN = mkdir -p $(ARTIFACTS) && T=$$(mktemp -d) && trap 'rm -rf "$$T"' EXIT && \
	XDG_DATA_HOME=$$T/data XDG_CACHE_HOME=$$T/cache XDG_CONFIG_HOME=$$T/config \
	TAURI_DRIVER=$(TAURI_DRIVER) OUTPOST_ARTIFACTS=$(ARTIFACTS) \
	timeout --kill-after=30 $(E2E_TIMEOUT) dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24"

# axe-core for the accessibility tests (pinned in tests/axe/package-lock.json).
axe: node-deps
	@if [ ! -f tests/axe/node_modules/.package-lock.json ] || \
		[ tests/axe/package-lock.json -nt tests/axe/node_modules/.package-lock.json ]; then \
		npm ci --prefix tests/axe --no-audit --no-fund --silent; \
	fi

test-e2e: build tauri-driver axe
	cargo test --quiet -p outpost-tests --no-run $(E2E_TESTS)
	@$(E2E_RUN) cargo test --no-fail-fast -p outpost-tests $(E2E_TESTS) -- --ignored --test-threads=1

# Re-approve the screenshots after an intended UI change: writes tests/visual-baselines/*.png
# (also copied to artifacts/visual/ for review); look at them, then commit them.
approve-screenshots: build tauri-driver
	cargo test --quiet -p outpost-tests --no-run --test desktop_visual
	@$(E2E_RUN) env OUTPOST_APPROVE=1 cargo test -p outpost-tests --test desktop_visual -- --ignored --test-threads=1

# 10,000 seeded randomized convergence runs of the CRDT model (make test runs 200), then 50
# seeds of the end-to-end chaos run (real CLIs, live processes and the server killed with -9;
# make test runs one).
soak: rust-check build
	OUTPOST_SEEDS=10000 cargo test --release -p outpost-server --test sync convergence
	OUTPOST_CLI_SEEDS=50 cargo test -p outpost-tests --test sync random -- --nocapture

# Figures for BENCHMARKS.md (import: 100k and 1M rows; read latency during a 1M-row import; sync: see BENCHMARKS.md for the PostgreSQL URL).
bench: deps
	cargo bench -p outpost-core --bench import
	cargo bench -p outpost-core --bench read_latency
	cargo run --release -p outpost-server --bin sync-bench
	cargo build --release -p outpost-cli -p outpost-server --bins
	cargo bench -p outpost-tests --bench initial_sync

screenshot: test-e2e
	@echo "Saved $(ARTIFACTS)/pipeline-board.png and $(ARTIFACTS)/import-result.png"

test: lint test-rust test-ui test-e2e

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules $(ARTIFACTS)
