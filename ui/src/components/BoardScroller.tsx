// The board's horizontal scroller: when stages are off-screen (a narrow window, many stages),
// the edge fades and a button names them ("Won, Lost →") and scrolls them into view.
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";

/** An attribute value for a `[name="…"]` selector (ids and stage names may hold quotes). */
export const attr = (value: string) => value.replace(/["\\]/g, "\\$&");

/** Names of the columns (`[data-stage]` children) not fully inside the scroller, left and right. */
export function hiddenColumns(scroller: HTMLElement): { left: string[]; right: string[] } {
  const box = scroller.getBoundingClientRect();
  const left: string[] = [];
  const right: string[] = [];
  if (scroller.scrollWidth <= scroller.clientWidth + 1) return { left, right };
  for (const col of Array.from(scroller.querySelectorAll<HTMLElement>(":scope > [data-stage]"))) {
    const r = col.getBoundingClientRect();
    const name = col.dataset.stage ?? "";
    if (r.left < box.left - 1) left.push(name);
    else if (r.right > box.right + 1) right.push(name);
  }
  return { left, right };
}

const names = (list: readonly string[]) => (list.length <= 2 ? list.join(", ") : `${list[0]} and ${list.length - 1} more`);

/** `children` are the stage columns. */
export function BoardScroller(props: { className: string; busy: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<{ left: string[]; right: string[] }>({ left: [], right: [] });
  const update = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const next = hiddenColumns(el);
    setHidden((prev) => (prev.left.join() === next.left.join() && prev.right.join() === next.right.join() ? prev : next));
  }, []);

  // Columns change with every board reload: measure after each render (cheap, and a no-op
  // state update when nothing moved), and when the window resizes.
  useEffect(update);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, [update]);

  const reveal = (side: "left" | "right") => {
    const el = ref.current;
    const target = side === "right" ? hidden.right[0] : hidden.left[hidden.left.length - 1];
    const col = el && target !== undefined ? el.querySelector<HTMLElement>(`:scope > [data-stage="${attr(target)}"]`) : null;
    col?.scrollIntoView?.({ behavior: "smooth", block: "nearest", inline: side === "right" ? "end" : "start" });
  };

  return (
    <div className={`board-wrap ${hidden.left.length ? "board-wrap--more-left" : ""} ${hidden.right.length ? "board-wrap--more-right" : ""}`}>
      <div ref={ref} className={props.className} aria-busy={props.busy} onScroll={update} data-testid="board">
        {props.children}
      </div>
      {hidden.left.length > 0 && (
        <button type="button" className="board-more board-more--left" data-testid="board-more-left" tabIndex={-1} onClick={() => reveal("left")} title={`Scroll to ${hidden.left.join(", ")}`}>
          ← {names(hidden.left)}
        </button>
      )}
      {hidden.right.length > 0 && (
        <button type="button" className="board-more board-more--right" data-testid="board-more-right" tabIndex={-1} onClick={() => reveal("right")} title={`Scroll to ${hidden.right.join(", ")}`}>
          {names(hidden.right)} →
        </button>
      )}
    </div>
  );
}
