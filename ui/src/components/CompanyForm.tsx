import { useState } from "react";
import type { Company } from "../bindings/Company";
import { useApi } from "../context";
import { useSubmit, type FieldErrors } from "../hooks";
import { TextField } from "./Field";

type Key = "name" | "domain" | "industry" | "location" | "size";
const FIELDS: Key[] = ["name", "domain", "industry", "location", "size"];

/** Add or edit a company. */
export function CompanyForm(props: { company?: Company; onSaved: (c: Company) => void; onCancel: () => void }) {
  const api = useApi();
  const c = props.company;
  const [text, setText] = useState<Record<Key, string>>({
    name: c?.name ?? "",
    domain: c?.domain ?? "",
    industry: c?.industry ?? "",
    location: c?.location ?? "",
    size: c?.size ?? "",
  });
  const v = (key: Key) => text[key].trim();
  const set = (key: Key) => (value: string) => setText((t) => ({ ...t, [key]: value }));

  const validate = (): FieldErrors => (v("name") ? {} : { name: "is required" });
  const save = () =>
    c
      ? api.updateCompany({ id: c.id, name: v("name"), domain: v("domain"), industry: v("industry"), location: v("location"), size: v("size") })
      : api.addCompany({
          name: v("name"),
          domain: v("domain") || null,
          industry: v("industry") || null,
          location: v("location") || null,
          size: v("size") || null,
        });
  const { saving, errors, onSubmit } = useSubmit({ fields: FIELDS, validate, save, onSaved: props.onSaved });

  return (
    <form className="form" data-testid="company-form" noValidate onSubmit={onSubmit}>
      <div className="form__grid">
        <TextField className="span-2" label="Name" name="name" value={text.name} onChange={set("name")} error={errors.name} autoFocus />
        <TextField label="Domain" name="domain" value={text.domain} onChange={set("domain")} error={errors.domain} placeholder="acme.com" />
        <TextField label="Industry" name="industry" value={text.industry} onChange={set("industry")} error={errors.industry} />
        <TextField label="Location" name="location" value={text.location} onChange={set("location")} error={errors.location} placeholder="City, country" />
        <TextField label="Size" name="size" value={text.size} onChange={set("size")} error={errors.size} placeholder="e.g. 51-200" />
      </div>
      <footer className="form__actions">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="company-submit" disabled={saving}>
          {saving ? "Saving…" : c ? "Save changes" : "Create company"}
        </button>
      </footer>
    </form>
  );
}
