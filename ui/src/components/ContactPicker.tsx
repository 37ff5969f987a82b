import { useEffect, useId, useState } from "react";
import type { Contact } from "../bindings/Contact";
import { useApi } from "../context";
import { contactName } from "../format";
import { useDebounced } from "../hooks";
import type { ControlProps } from "./Field";

export interface PickedContact {
  id: string;
  name: string;
}

/** A typeahead over contacts (an ARIA combobox). `value` null means "no contact". */
export function ContactPicker(props: {
  control: ControlProps;
  value: PickedContact | null;
  onChange: (value: PickedContact | null) => void;
}) {
  const api = useApi();
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [options, setOptions] = useState<Contact[]>([]);
  const query = useDebounced(text.trim(), 200);

  useEffect(() => {
    if (!open || !query) {
      setOptions([]);
      return;
    }
    let live = true;
    api.listContacts({ search: query, limit: 8 }).then(
      (found) => live && (setOptions(found), setActive(0)),
      () => live && setOptions([]),
    );
    return () => {
      live = false;
    };
  }, [api, query, open]);

  if (props.value) {
    return (
      <div className="picked">
        <span className="picked__name" id={props.control.id} tabIndex={-1}>
          {props.value.name}
        </span>
        <button type="button" className="button button--small" aria-label={`Change contact (now ${props.value.name})`} onClick={() => props.onChange(null)}>
          Change
        </button>
      </div>
    );
  }

  const choose = (c: Contact) => {
    props.onChange({ id: c.id, name: contactName(c) });
    setText("");
    setOpen(false);
  };
  const current = options[active];

  return (
    <div className="combobox">
      <input
        {...props.control}
        className="input"
        role="combobox"
        aria-expanded={open && options.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && current ? `${listId}-${current.id}` : undefined}
        placeholder="Search contacts… (optional)"
        autoComplete="off"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 120)}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((i) => Math.min(i + 1, options.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((i) => Math.max(i - 1, 0));
          } else if (e.key === "Enter" && open && current) {
            e.preventDefault();
            choose(current);
          } else if (e.key === "Escape" && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {open && options.length > 0 && (
        <ul className="combobox__list" role="listbox" id={listId}>
          {options.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${c.id}`}
              role="option"
              aria-selected={i === active}
              className="combobox__option"
              onMouseDown={(e) => {
                e.preventDefault();
                choose(c);
              }}
            >
              <span>{contactName(c)}</span>
              {(c.company_name || c.email) && <span className="muted">{c.company_name ?? c.email}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
