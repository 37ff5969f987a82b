// A stage <select> that keyboard users can browse without moving the deal.
//
// In WebKitGTK (and Chromium) every arrow press on a closed select fires `change`, so a rep
// reading the stages with ArrowDown moved the deal on the first press and lost focus with it.
// Here a stage browsed to with the keys only stands once confirmed with Enter (Escape or leaving
// the select puts it back); a stage picked with the mouse or from the opened list moves at once.
import { useId, useRef, useState, type KeyboardEvent } from "react";

/** Keys that step a closed select through its options (type-ahead letters too). */
const BROWSE_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
const isBrowseKey = (e: KeyboardEvent) => !e.altKey && !e.ctrlKey && !e.metaKey && (BROWSE_KEYS.has(e.key) || (e.key.length === 1 && e.key !== " "));

/** Props for the select, the pending stage (if any) and the id of the hint that explains it. */
export function useConfirmedSelect(current: string, onCommit: (value: string) => void) {
  const [pending, setPending] = useState<string | null>(null);
  const browsing = useRef(false);
  const hintId = useId();
  const commit = (value: string) => {
    setPending(null);
    browsing.current = false;
    if (value !== current) onCommit(value);
  };
  const selectProps = {
    value: pending ?? current,
    "aria-describedby": pending !== null ? hintId : undefined,
    onKeyDown: (e: KeyboardEvent<HTMLSelectElement>) => {
      if (e.key === "Enter" && pending !== null) {
        e.preventDefault();
        commit(pending);
      } else if (e.key === "Escape" && pending !== null) {
        e.preventDefault();
        e.stopPropagation();
        setPending(null);
        browsing.current = false;
      } else {
        browsing.current = isBrowseKey(e);
      }
    },
    onPointerDown: () => {
      browsing.current = false;
    },
    onBlur: () => {
      browsing.current = false;
      setPending(null);
    },
    onChange: (e: { target: { value: string } }) => {
      const value = e.target.value;
      if (browsing.current) setPending(value === current ? null : value);
      else commit(value);
    },
  };
  return { pending, hintId, selectProps };
}

/** The line under a select with a pending stage: what Enter and Escape will do. */
export function PendingStageHint(props: { id: string; pending: string | null; current: string; className?: string }) {
  if (props.pending === null) return null;
  return (
    <p className={`stage-confirm ${props.className ?? ""}`} id={props.id} role="status" data-testid="stage-move-pending">
      Move to <strong>{props.pending}</strong>? <kbd>Enter</kbd> moves, <kbd>Esc</kbd> keeps {props.current}
    </p>
  );
}
