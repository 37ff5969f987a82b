import { navigate, type Section } from "../router";

const ITEMS: ReadonlyArray<{ section: Section; label: string; icon: string }> = [
  { section: "pipeline", label: "Pipeline", icon: "▦" },
  { section: "contacts", label: "Contacts", icon: "◉" },
  { section: "companies", label: "Companies", icon: "▣" },
  { section: "tasks", label: "Tasks", icon: "✓" },
  { section: "meetings", label: "Meetings", icon: "◷" },
];

/** The left navigation. */
export function Nav(props: { current: Section }) {
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="sidebar__brand">
        <span className="sidebar__logo" aria-hidden="true">
          ◆
        </span>
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
              <span className="sidebar__icon" aria-hidden="true">
                {item.icon}
              </span>
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
