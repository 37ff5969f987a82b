import { useState, type DragEvent, type ReactNode } from "react";

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");

/**
 * A button that opens the system file picker; the picked file goes to `onFile`. The input is
 * cleared afterwards, so picking the same file again is seen as a new pick.
 */
export function FileButton(props: { label: ReactNode; accept: string; testId: string; disabled?: boolean; primary?: boolean; onFile: (file: File) => void }) {
  return (
    <label className={`button ${props.primary ? "button--primary" : ""}`}>
      {props.label}
      <input
        type="file"
        accept={props.accept}
        className="visually-hidden"
        data-testid={props.testId}
        disabled={props.disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) props.onFile(file);
          e.target.value = "";
        }}
      />
    </label>
  );
}

/** Dropping a file anywhere on an element: spread `handlers` on it; `dragging` is true while a
 * file is held over it. The dropped file goes to `onFile`. */
export function useFileDrop(onFile: (file: File) => void) {
  const [dragging, setDragging] = useState(false);
  const handlers = {
    onDragEnter: (e: DragEvent) => hasFiles(e) && setDragging(true),
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = "copy";
    },
    onDragLeave: (e: DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files?.[0];
      if (file) onFile(file);
    },
  };
  return { dragging, handlers };
}
