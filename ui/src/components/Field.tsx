import { useId, type ReactNode } from "react";
import { fieldMessage } from "../errors";

/** Props to spread on the control inside a `Field`. */
export interface ControlProps {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby": string | undefined;
}

/**
 * A labelled form control with its inline error underneath (`data-testid="error-<name>"`).
 */
export function Field(props: {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: string;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(" ");
  return (
    <div className={`field ${props.error ? "field--invalid" : ""} ${props.className ?? ""}`}>
      <label htmlFor={id} className="field__label">
        {props.label}
      </label>
      {props.children({ id, "aria-invalid": !!props.error, "aria-describedby": describedBy || undefined })}
      {props.hint && !props.error && (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      )}
      {props.error && (
        <p id={errorId} className="field__error" data-testid={`error-${props.name}`} role="alert">
          {fieldMessage(props.label, props.error)}
        </p>
      )}
    </div>
  );
}

/** The usual single-line text field. */
export function TextField(props: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: "text" | "email" | "tel" | "date" | "url";
  inputMode?: "text" | "decimal" | "email" | "tel";
  placeholder?: string;
  autoFocus?: boolean;
  className?: string;
  maxLength?: number;
}) {
  return (
    <Field label={props.label} name={props.name} error={props.error} hint={props.hint} className={props.className}>
      {(control) => (
        <input
          {...control}
          className="input"
          name={props.name}
          type={props.type ?? "text"}
          inputMode={props.inputMode}
          value={props.value}
          placeholder={props.placeholder}
          autoFocus={props.autoFocus}
          maxLength={props.maxLength}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
