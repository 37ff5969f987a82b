// The UI's api: the typed wrappers generated from the command table (gen/commands.ts, from
// src-tauri/src/commands/table.rs) plus the few written by hand here: a raw upload body, a
// progress channel, a second argument, and the agent's `alerts` event.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { generatedApi, type GeneratedApi } from "./gen/commands";
import type { ImportJob } from "./bindings/ImportJob";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { Notification } from "./bindings/Notification";
import type { ProviderConfig } from "./bindings/ProviderConfig";
import type { ProviderStatus } from "./bindings/ProviderStatus";
import type { StagedFile } from "./bindings/StagedFile";

/** Everything the UI can ask the backend. Components get it from `ApiContext`. */
export interface Api extends GeneratedApi {
  /** Sends a file's bytes (raw IPC body, not JSON) to `<data-dir>/inbox/`. */
  stageUpload(name: string, bytes: Uint8Array): Promise<StagedFile>;
  /** Runs an import; `onProgress` gets one message per written batch. */
  runImport(req: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportJob>;
  /** Saves the provider; a given API key goes to the OS keychain and is never sent back. */
  setCopilotProvider(config: ProviderConfig, apiKey: string | null): Promise<ProviderStatus>;
  /** Calls `onAlerts` whenever the agent raises new alerts; returns the unsubscribe function. */
  subscribeAlerts(onAlerts: (raised: Notification[]) => void): () => void;
}

function stageUpload(name: string, bytes: Uint8Array): Promise<StagedFile> {
  // Header values must be ASCII: the name travels percent-encoded and the core decodes it.
  return invoke<StagedFile>("stage_upload", bytes, { headers: { "x-file-name": encodeURIComponent(name) } });
}

function runImport(req: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportJob> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return invoke<ImportJob>("run_import", { req, onProgress: channel });
}

function setCopilotProvider(config: ProviderConfig, apiKey: string | null): Promise<ProviderStatus> {
  return invoke<ProviderStatus>("set_copilot_provider", { req: config, apiKey });
}

function subscribeAlerts(onAlerts: (raised: Notification[]) => void): () => void {
  const stop = listen<Notification[]>("alerts", (event) => onAlerts(event.payload));
  return () => void stop.then((unlisten) => unlisten());
}

/** The real, invoke-backed api. */
export const tauriApi: Api = { ...generatedApi, stageUpload, runImport, setCopilotProvider, subscribeAlerts };
