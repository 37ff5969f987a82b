import { useEffect, useId, useRef, useState, type ReactNode } from "react";

const FOCUSABLE = 'input, select, textarea, button, [href], [tabindex]:not([tabindex="-1"])';

/**
 * Where focus goes back to when the dialog closes: the element that opened it, or, when that is
 * gone (its row was re-rendered away), the element now carrying the same `data-testid` (or
 * `aria-label`), else the main region so keyboard users are not dropped on <body>.
 */
function restoreFocus(opener: HTMLElement | null) {
  if (opener?.isConnected) {
    opener.focus();
    return;
  }
  const testId = opener?.getAttribute("data-testid");
  const label = opener?.getAttribute("aria-label");
  const again =
    (testId && document.querySelector<HTMLElement>(`[data-testid="${testId.replace(/["\\]/g, "\\$&")}"]`)) ||
    (label && document.querySelector<HTMLElement>(`[aria-label="${label.replace(/["\\]/g, "\\$&")}"]`)) ||
    document.getElementById("main");
  again?.focus();
}

/**
 * A centred dialog. Escape or a click outside closes it; focus moves in, stays in, and returns
 * to the opener. It never grows past the window: the body scrolls, the header and a form's
 * action row (Cancel / Save) stay in view.
 */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  // Read while rendering: by the time effects run, an autoFocus field inside has taken focus.
  const [opener] = useState(() => (typeof document === "undefined" ? null : (document.activeElement as HTMLElement | null)));

  useEffect(() => {
    // Children may have focused themselves (autoFocus); otherwise focus the first field.
    if (!panel.current?.contains(document.activeElement)) {
      const first =
        panel.current?.querySelector<HTMLElement>("[data-autofocus]:not(:disabled)") ??
        panel.current?.querySelector<HTMLElement>(".modal__body input, .modal__body select, .modal__body textarea") ??
        panel.current?.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        onClose.current();
      } else if (e.key === "Tab" && panel.current) {
        // Keep keyboard focus inside the dialog.
        const items = Array.from(panel.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
          (el) => !el.hasAttribute("disabled"),
        );
        const [head, tail] = [items[0], items[items.length - 1]];
        if (!head || !tail) return;
        if (e.shiftKey && document.activeElement === head) {
          e.preventDefault();
          tail.focus();
        } else if (!e.shiftKey && document.activeElement === tail) {
          e.preventDefault();
          head.focus();
        }
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      // React has removed the dialog (and its focused field) by now; focus moved on purpose
      // elsewhere (a link in the dialog navigated) is left alone.
      if (!document.activeElement || document.activeElement === document.body) restoreFocus(opener);
    };
  }, [opener]);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div
        ref={panel}
        className={`modal ${props.wide ? "modal--wide" : ""}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <header className="modal__header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={props.onClose}>
            ×
          </button>
        </header>
        <div className="modal__body">{props.children}</div>
      </div>
    </div>
  );
}
