import { useEffect } from "react";
import type { Api } from "./api";
import { ErrorBanner } from "./components/ErrorBanner";
import { Nav } from "./components/Nav";
import { ChangesContext, type SubscribeChanges } from "./changes";
import { ApiContext, BannerProvider, useBanner } from "./context";
import { sectionOf, useRoute, type Route } from "./router";
import { AlertsScreen } from "./screens/AlertsScreen";
import { BriefScreen } from "./screens/BriefScreen";
import { CompaniesScreen } from "./screens/CompaniesScreen";
import { ConnectionsScreen } from "./screens/ConnectionsScreen";
import { CompanyDetailScreen } from "./screens/CompanyDetailScreen";
import { ContactDetailScreen } from "./screens/ContactDetailScreen";
import { ContactsScreen } from "./screens/ContactsScreen";
import { DealDetailScreen } from "./screens/DealDetailScreen";
import { ImportScreen } from "./screens/ImportScreen";
import { MeetingsScreen } from "./screens/MeetingsScreen";
import { OutboundScreen } from "./screens/OutboundScreen";
import { PipelineScreen } from "./screens/PipelineScreen";
import { SettingsScreen } from "./screens/SettingsScreen";
import { SyncScreen } from "./screens/SyncScreen";
import { TasksScreen } from "./screens/TasksScreen";
import { TeamScreen } from "./screens/TeamScreen";
import { WatchedScreen } from "./screens/WatchedScreen";

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case "pipeline":
      return <PipelineScreen />;
    case "contacts":
      return <ContactsScreen />;
    case "contact":
      return <ContactDetailScreen key={route.id} id={route.id} />;
    case "deal":
      return <DealDetailScreen key={route.id} id={route.id} />;
    case "companies":
      return <CompaniesScreen />;
    case "company":
      return <CompanyDetailScreen key={route.id} id={route.id} />;
    case "tasks":
      return <TasksScreen />;
    case "meetings":
      return <MeetingsScreen />;
    case "brief":
      return <BriefScreen key={route.id} id={route.id} />;
    case "alerts":
      return <AlertsScreen />;
    case "team":
      return <TeamScreen />;
    case "import":
      return <ImportScreen />;
    case "watched":
      return <WatchedScreen />;
    case "sync":
      return <SyncScreen />;
    case "connections":
      return <ConnectionsScreen />;
    case "outbound":
      return <OutboundScreen />;
    case "settings":
      return <SettingsScreen />;
  }
}

function Shell() {
  const route = useRoute();
  const { clear } = useBanner();
  const key = route.name + ("id" in route ? `/${route.id}` : "");
  // A new screen starts without the previous screen's error.
  useEffect(() => {
    clear();
    document.querySelector<HTMLElement>(".main")?.scrollTo?.(0, 0);
  }, [key, clear]);

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        data-testid="skip-link"
        onClick={(e) => {
          // The hash is the router's: move focus without navigating.
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to main content
      </a>
      <Nav current={sectionOf(route)} />
      <main className="main" id="main" tabIndex={-1}>
        <ErrorBanner />
        <Screen route={route} />
      </main>
    </div>
  );
}

/** The whole app. `api` defaults to the real Tauri backend, `changes` to its `changed` events. */
export function App(props: { api?: Api; changes?: SubscribeChanges }) {
  let shell = (
    <BannerProvider>
      <Shell />
    </BannerProvider>
  );
  if (props.changes) shell = <ChangesContext.Provider value={props.changes}>{shell}</ChangesContext.Provider>;
  return props.api ? <ApiContext.Provider value={props.api}>{shell}</ApiContext.Provider> : shell;
}
