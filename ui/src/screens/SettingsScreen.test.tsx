import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";
import { presentSetting } from "./SettingsScreen";

const NOW = "2026-11-25T10:00:00.000Z";

function row(name: string): HTMLElement {
  const el = screen.getAllByTestId("setting").find((r) => r.dataset.name === name);
  if (!el) throw new Error(`no setting row ${name}`);
  return el;
}

function input(container: HTMLElement, name: string): HTMLInputElement {
  const el = container.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!el) throw new Error(`no input ${name}`);
  return el;
}

describe("settings screen", () => {
  it("shows human labels in sections, never the internal keys, and saves every change with one Save", async () => {
    const api = memoryApi(NOW);
    api.settings.values.set("competitors", "Initech, Umbrella");
    renderApp(api, "#/pipeline");
    fireEvent.click(await screen.findByTestId("nav-settings"));
    await screen.findAllByTestId("setting");
    expect(screen.getAllByTestId("setting").map((r) => r.dataset.name)).toEqual(["competitors", "stale-deal-days", "internal-domains", "digest-time"]);
    const form = screen.getByTestId("settings-form");
    // Labels a rep reads; the kebab-case keys are nowhere on screen.
    expect(within(form).getByLabelText("A deal is stale after this many days without activity")).toBe(input(row("stale-deal-days"), "stale-deal-days"));
    for (const key of ["stale-deal-days", "internal-domains", "digest-time"]) expect(form.textContent).not.toContain(key);
    expect(input(row("competitors"), "competitors").value).toBe("Initech, Umbrella");
    // The "(default 7)" of the description is the placeholder; the rest is the hint.
    expect(input(row("stale-deal-days"), "stale-deal-days").placeholder).toBe("Default: 7");
    expect(within(row("stale-deal-days")).getByText("Days without activity after which an open deal is stale.")).toBeTruthy();
    // One Save for the whole form, enabled only with changes.
    expect(screen.getAllByRole("button", { name: "Save settings" })).toHaveLength(1);
    expect((screen.getByTestId("settings-save") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.change(input(row("stale-deal-days"), "stale-deal-days"), { target: { value: "soon" } });
    fireEvent.change(input(row("digest-time"), "digest-time"), { target: { value: "08:30" } });
    expect(screen.getByTestId("settings-status").textContent).toBe("2 unsaved changes");
    fireEvent.click(screen.getByTestId("settings-save"));
    const error = await within(row("stale-deal-days")).findByTestId("error-stale-deal-days");
    expect(error.textContent).toContain("'soon' is not a whole number above 0");
    // The valid change is saved anyway; the refused one is not.
    await waitFor(() => expect(api.settings.values.get("digest-time")).toBe("08:30"));
    expect(api.settings.values.has("stale-deal-days")).toBe(false);
    expect(screen.getByTestId("settings-status").textContent).toBe("Saved 1; 1 value needs fixing.");

    fireEvent.change(input(row("stale-deal-days"), "stale-deal-days"), { target: { value: " 14 " } });
    fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("settings-status").textContent).toBe("Saved 1 change."));
    expect(within(row("stale-deal-days")).queryByTestId("error-stale-deal-days")).toBeNull();
    expect(input(row("stale-deal-days"), "stale-deal-days").value).toBe("14");
    expect(api.settings.values.get("stale-deal-days")).toBe("14");
    expect(api.calls.filter(([m]) => m === "setSetting").map(([, a]) => a)).toEqual([
      { name: "stale-deal-days", value: "soon" },
      { name: "digest-time", value: "08:30" },
      { name: "stale-deal-days", value: " 14 " },
    ]);
  });

  it("an emptied field goes back to its default; Discard puts the stored values back", async () => {
    const api = memoryApi(NOW);
    api.settings.values.set("digest-time", "08:30");
    renderApp(api, "#/settings");
    await screen.findAllByTestId("setting");
    const digest = () => input(row("digest-time"), "digest-time");
    expect(digest().value).toBe("08:30");
    fireEvent.change(digest(), { target: { value: "07:00" } });
    fireEvent.click(screen.getByRole("button", { name: "Discard changes" }));
    expect(digest().value).toBe("08:30");

    fireEvent.change(digest(), { target: { value: "" } });
    fireEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(api.settings.values.has("digest-time")).toBe(false));
    expect(digest().value).toBe("");
    expect(digest().placeholder).toBe("Default: 09:00");
  });
});

describe("copilot settings", () => {
  it("saves a provider with its API key going to the keychain, never shown back", async () => {
    const api = memoryApi(NOW);
    renderApp(api, "#/settings");
    expect((await screen.findByTestId("provider-status")).textContent).toContain("offline engine");
    const form = screen.getByTestId("provider-form");
    fireEvent.change(input(form, "kind"), { target: { value: "anthropic" } });
    fireEvent.change(input(form, "base_url"), { target: { value: "not a url" } });
    fireEvent.change(input(form, "model"), { target: { value: "claude-sonnet-4-5" } });
    fireEvent.change(input(form, "api_key"), { target: { value: "sk-ant-secret-123" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    expect((await within(form).findByTestId("error-base_url")).textContent).toContain("is not an http(s) URL");
    expect(api.settings.provider).toBeNull();

    fireEvent.change(input(form, "base_url"), { target: { value: "https://api.anthropic.com/" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    await waitFor(() => expect(screen.getByTestId("provider-status").textContent).toBe("Anthropic · claude-sonnet-4-5 at https://api.anthropic.com"));
    expect(screen.getByTestId("provider-key").textContent).toBe("API key: kept in your system keychain");
    expect(api.settings.keychain).toEqual(["sk-ant-secret-123"]);
    expect(input(form, "api_key").value).toBe("");
    expect(document.body.textContent).not.toContain("sk-ant-secret-123");
    expect(api.settings.provider?.config).toMatchObject({ kind: "anthropic", model: "claude-sonnet-4-5", timeout_secs: 60, max_retries: 2 });
  });

  it("changing the model keeps the saved key (no key sent) and the provider's timeouts", async () => {
    const api = memoryApi(NOW);
    api.settings.provider = {
      config: { kind: "openai", base_url: "http://127.0.0.1:11434/v1", model: "llama3.1", timeout_secs: 30, max_retries: 1, retry_backoff_ms: 250 },
      api_key: "keychain",
    } as unknown as NonNullable<typeof api.settings.provider>;
    renderApp(api, "#/settings");
    const form = await screen.findByTestId("provider-form");
    expect(input(form, "model").value).toBe("llama3.1");
    fireEvent.change(input(form, "model"), { target: { value: "qwen2.5" } });
    fireEvent.click(within(form).getByTestId("provider-save"));
    await waitFor(() => expect(screen.getByTestId("provider-status").textContent).toContain("qwen2.5"));
    expect(api.settings.keychain).toEqual([]);
    expect(api.settings.provider?.api_key).toBe("keychain");
    expect(api.settings.provider?.config).toMatchObject({ timeout_secs: 30, max_retries: 1, retry_backoff_ms: 250 });
  });

  it("shows this month's usage and sets, refuses and removes the monthly limit", async () => {
    const api = memoryApi(NOW);
    Object.assign(api.settings.usage, { requests: 12, input_tokens: 9000, output_tokens: 1500 });
    renderApp(api, "#/settings");
    const usage = await screen.findByTestId("copilot-usage");
    expect(within(usage).getByTestId("usage-summary").textContent).toBe("2026-11: 12 requests · 10,500 tokens (9,000 in, 1,500 out)");
    fireEvent.change(input(usage, "limit"), { target: { value: "-5" } });
    fireEvent.click(within(usage).getByTestId("limit-save"));
    expect((await within(usage).findByTestId("error-limit")).textContent).toContain("whole number");
    expect(api.calls.some(([m]) => m === "setCopilotLimit")).toBe(false);

    fireEvent.change(input(usage, "limit"), { target: { value: "50000" } });
    fireEvent.click(within(usage).getByTestId("limit-save"));
    await waitFor(() => expect(screen.getByTestId("usage-summary").textContent).toContain("of 50,000"));
    expect(api.settings.usage.limit).toBe(50000);

    fireEvent.change(input(screen.getByTestId("copilot-usage"), "limit"), { target: { value: "" } });
    fireEvent.click(screen.getByTestId("limit-save"));
    await waitFor(() => expect(screen.getByTestId("usage-summary").textContent).not.toContain(" of "));
    expect(api.calls.filter(([m]) => m === "setCopilotLimit").map(([, a]) => a)).toEqual([50000, null]);
  });
});

describe("presentSetting", () => {
  it("labels every setting the core knows and turns '(default X)' into the placeholder", () => {
    expect(presentSetting({ name: "utc-offset", description: "your UTC offset for local times, e.g. +01:00 (default: this machine's)" })).toEqual({
      label: "Your UTC offset",
      section: "Briefs and daily digest",
      hint: "Your UTC offset for local times, e.g. +01:00.",
      placeholder: "Default: this machine's",
    });
    // A setting added to the core later still gets a readable label, never the raw key.
    expect(presentSetting({ name: "new-thing_max", description: "what it does" })).toMatchObject({ label: "New thing max", section: "Other", placeholder: "Not set" });
  });
});
