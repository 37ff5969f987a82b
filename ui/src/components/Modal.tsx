import { useEffect, useId, useRef, type ReactNode } from "react";

const FOCUSABLE = 'input, select, textarea, button, [href], [tabindex]:not([tabindex="-1"])';

/** A centred dialog. Escape or a click outside closes it; focus moves in and back out. */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    // Children may have focused themselves (autoFocus); otherwise focus the first field.
    if (!panel.current?.contains(document.activeElement)) {
      const first =
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
      previous?.focus?.();
    };
  }, []);

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
