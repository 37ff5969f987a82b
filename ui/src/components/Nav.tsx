import { useEffect, useState, type ReactNode } from "react";
import { useApi } from "../context";
import { navigate, type Section } from "../router";
import { SyncIndicator } from "./SyncIndicator";
import { ALERTS_CHANGED } from "../screens/AlertsScreen";

const stroke = { fill: "none", stroke: "currentColor", strokeWidth: 1.5, strokeLinecap: "round", strokeLinejoin: "round" } as const;

const ICONS: Record<Section, ReactNode> = {
  pipeline: (
    <>
      <rect x="2" y="2.5" width="3.2" height="11" rx="1" {...stroke} />
      <rect x="6.4" y="2.5" width="3.2" height="7.5" rx="1" {...stroke} />
      <rect x="10.8" y="2.5" width="3.2" height="4.5" rx="1" {...stroke} />
    </>
  ),
  contacts: (
    <>
      <circle cx="8" cy="5.5" r="2.8" {...stroke} />
      <path d="M2.8 13.8c.7-2.6 2.8-4 5.2-4s4.5 1.4 5.2 4" {...stroke} />
    </>
  ),
  companies: (
    <>
      <path d="M2.5 13.5V3.2c0-.4.3-.7.7-.7h5.6c.4 0 .7.3.7.7v10.3M9.5 6.5h3.3c.4 0 .7.3.7.7v6.3M1.5 13.5h13" {...stroke} />
      <path d="M4.8 5.2h1.8M4.8 7.7h1.8M4.8 10.2h1.8" {...stroke} />
    </>
  ),
  tasks: (
    <>
      <rect x="2.2" y="2.2" width="11.6" height="11.6" rx="2.5" {...stroke} />
      <path d="M5.2 8.2l1.9 1.9 3.7-4" {...stroke} />
    </>
  ),
  meetings: (
    <>
      <rect x="2.2" y="3.2" width="11.6" height="10.6" rx="2" {...stroke} />
      <path d="M2.2 6.5h11.6M5.5 1.8v2.6M10.5 1.8v2.6" {...stroke} />
    </>
  ),
  alerts: (
    <>
      <path d="M4 11.5V7.2a4 4 0 0 1 8 0v4.3l1.2 1.3H2.8z" {...stroke} />
      <path d="M6.6 14.2a1.5 1.5 0 0 0 2.8 0" {...stroke} />
    </>
  ),
  team: (
    <>
      <circle cx="5.5" cy="5.5" r="2.2" {...stroke} />
      <circle cx="11.2" cy="6.2" r="1.8" {...stroke} />
      <path d="M1.8 13.5c.5-2.2 2-3.4 3.7-3.4s3.2 1.2 3.7 3.4M9.6 10.3c.5-.3 1-.4 1.6-.4 1.5 0 2.7 1.1 3.1 3" {...stroke} />
    </>
  ),
  import: (
    <>
      <path d="M8 2v8M4.8 6.8L8 10l3.2-3.2" {...stroke} />
      <path d="M2.5 10.5v2c0 .6.4 1 1 1h9c.6 0 1-.4 1-1v-2" {...stroke} />
    </>
  ),
  watched: (
    <>
      <path d="M1.8 4.2c0-.6.4-1 1-1h3.3l1.4 1.6h5.7c.6 0 1 .4 1 1v6.9c0 .6-.4 1-1 1H2.8c-.6 0-1-.4-1-1z" {...stroke} />
      <circle cx="8" cy="9" r="1.6" {...stroke} />
    </>
  ),
  sync: (
    <>
      <path d="M13 6.5A5.2 5.2 0 0 0 3.4 5M3 9.5A5.2 5.2 0 0 0 12.6 11" {...stroke} />
      <path d="M3.2 2.5V5.2h2.7M12.8 13.5v-2.7h-2.7" {...stroke} />
    </>
  ),
  connections: (
    <>
      <path d="M6.5 9.5l3-3M5.2 7.3L3.8 8.7a2.3 2.3 0 003.3 3.3l1.4-1.4M10.8 8.7l1.4-1.4a2.3 2.3 0 00-3.3-3.3L7.5 5.4" {...stroke} />
    </>
  ),
  settings: (
    <>
      <circle cx="8" cy="8" r="2.2" {...stroke} />
      <path d="M8 1.8v2M8 12.2v2M1.8 8h2M12.2 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4L5 11M11 5l1.4-1.4" {...stroke} />
    </>
  ),
  outbound: (
    <>
      <path d="M2 8l11.5-5.5L10 14l-2.2-4.3z" {...stroke} />
      <path d="M7.8 9.7l5.7-7.2" {...stroke} />
    </>
  ),
};

const ITEMS: ReadonlyArray<{ section: Section; label: string }> = [
  { section: "pipeline", label: "Pipeline" },
  { section: "contacts", label: "Contacts" },
  { section: "companies", label: "Companies" },
  { section: "tasks", label: "Tasks" },
  { section: "meetings", label: "Meetings" },
  { section: "alerts", label: "Alerts" },
  { section: "team", label: "Team" },
  { section: "import", label: "Import" },
  { section: "watched", label: "Watched folders" },
  { section: "sync", label: "Sync" },
  { section: "connections", label: "Connections" },
  { section: "outbound", label: "Outbound" },
  { section: "settings", label: "Settings" },
];

/** The number of unread alerts, kept current: on navigation, on the agent's events, and when a
 * screen marks alerts read. */
function useUnreadAlerts(current: Section): number {
  const api = useApi();
  const [unread, setUnread] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    api.unreadAlerts().then(
      (n) => live && setUnread(n),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, current, tick]);
  useEffect(() => {
    const bump = () => setTick((t) => t + 1);
    window.addEventListener(ALERTS_CHANGED, bump);
    const stop = api.subscribeAlerts(bump);
    return () => {
      window.removeEventListener(ALERTS_CHANGED, bump);
      stop();
    };
  }, [api]);
  return unread;
}

/** The left navigation. */
export function Nav(props: { current: Section }) {
  const unread = useUnreadAlerts(props.current);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar__brand">
        <svg className="sidebar__logo" width="18" height="18" viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 1.5l5.5 3.2v6.6L8 14.5l-5.5-3.2V4.7z" fill="currentColor" opacity="0.9" />
          <path d="M8 5.2l2.6 1.5v3L8 11.2 5.4 9.7v-3z" className="sidebar__logo-inner" />
        </svg>
        Outpost
      </div>
      <ul className="sidebar__items">
        {ITEMS.map((item) => (
          <li key={item.section}>
            <button
              type="button"
              className="sidebar__item"
              data-testid={`nav-${item.section}`}
              aria-current={props.current === item.section ? "page" : undefined}
              onClick={() => navigate({ name: item.section })}
            >
              <svg className="sidebar__icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
                {ICONS[item.section]}
              </svg>
              {item.label}
              {item.section === "alerts" && unread > 0 && (
                <span className="sidebar__badge" data-testid="unread-badge" aria-label={`${unread} unread`}>
                  {unread}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      <SyncIndicator />
    </nav>
  );
}
