import { useState } from "react";
import type { Contact } from "../bindings/Contact";
import type { ContactUpdate } from "../bindings/ContactUpdate";
import type { NewContact } from "../bindings/NewContact";
import { useApi } from "../context";
import { useSubmit, type FieldErrors } from "../hooks";
import { Field, TextField } from "./Field";

const FIELDS = ["first_name", "last_name", "email", "phone", "title", "company", "lead_source", "linkedin_url", "time_zone", "notes"];
const ALIASES = { company_id: "company" };

type Text = "first_name" | "last_name" | "email" | "phone" | "title" | "company" | "lead_source" | "linkedin_url" | "time_zone" | "notes";
type Flag = "email_opt_out" | "sms_opt_out" | "do_not_call";

/** Add or edit a contact. */
export function ContactForm(props: { contact?: Contact; defaultCompany?: string; onSaved: (c: Contact) => void; onCancel: () => void }) {
  const api = useApi();
  const c = props.contact;
  const [text, setText] = useState<Record<Text, string>>({
    first_name: c?.first_name ?? "",
    last_name: c?.last_name ?? "",
    email: c?.email ?? "",
    phone: c?.phone ?? "",
    title: c?.title ?? "",
    company: c?.company_name ?? props.defaultCompany ?? "",
    lead_source: c?.lead_source ?? "",
    linkedin_url: c?.linkedin_url ?? "",
    time_zone: c?.time_zone ?? "",
    notes: c?.notes ?? "",
  });
  const [flags, setFlags] = useState<Record<Flag, boolean>>({
    email_opt_out: c?.email_opt_out ?? false,
    sms_opt_out: c?.sms_opt_out ?? false,
    do_not_call: c?.do_not_call ?? false,
  });
  const set = (key: Text) => (value: string) => setText((t) => ({ ...t, [key]: value }));
  const v = (key: Text) => text[key].trim();

  const validate = (): FieldErrors =>
    v("first_name") || v("last_name") || v("email") || v("phone")
      ? {}
      : { first_name: "a contact needs at least a name, an email or a phone number" };

  const save = (): Promise<Contact> => {
    if (!c) {
      const req: NewContact = { ...flags };
      for (const key of FIELDS as Text[]) if (v(key)) req[key] = v(key);
      return api.addContact(req);
    }
    const req: ContactUpdate = {
      id: c.id,
      first_name: v("first_name"),
      last_name: v("last_name"),
      email: v("email"),
      phone: v("phone"),
      title: v("title"),
      lead_source: v("lead_source"),
      linkedin_url: v("linkedin_url"),
      time_zone: v("time_zone"),
      notes: v("notes"),
      ...flags,
    };
    if (v("company") !== (c.company_name ?? "")) req.company = v("company");
    return api.updateContact(req);
  };

  const { saving, errors, onSubmit } = useSubmit({ fields: FIELDS, aliases: ALIASES, validate, save, onSaved: props.onSaved });
  const field = (key: Text, label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField label={label} name={key} value={text[key]} onChange={set(key)} error={errors[key]} {...extra} />
  );

  return (
    <form className="form" data-testid="contact-form" noValidate onSubmit={onSubmit}>
      <div className="form__grid">
        {field("first_name", "First name", { autoFocus: true })}
        {field("last_name", "Last name")}
        {field("email", "Email", { type: "email", inputMode: "email" })}
        {field("phone", "Phone", { type: "tel", inputMode: "tel" })}
        {field("title", "Title", { placeholder: "e.g. Head of Operations" })}
        {field("company", "Company", { placeholder: "Linked, or created if new" })}
        {field("lead_source", "Lead source", { className: "span-2", placeholder: "e.g. Referral, conference, website" })}
        {field("linkedin_url", "LinkedIn", { type: "url", placeholder: "https://www.linkedin.com/in/…" })}
        {field("time_zone", "Time zone", { placeholder: "e.g. Europe/Berlin" })}
        <fieldset className="span-2 checks">
          <legend className="field__label">Consent</legend>
          {(
            [
              ["email_opt_out", "Email opt-out"],
              ["sms_opt_out", "SMS opt-out"],
              ["do_not_call", "Do not call"],
            ] as const
          ).map(([key, label]) => (
            <label key={key} className="check">
              <input type="checkbox" name={key} checked={flags[key]} onChange={(e) => setFlags((f) => ({ ...f, [key]: e.target.checked }))} />
              {label}
            </label>
          ))}
        </fieldset>
        <Field className="span-2" label="Notes" name="notes" error={errors.notes}>
          {(control) => <textarea {...control} className="input" name="notes" rows={3} value={text.notes} onChange={(e) => set("notes")(e.target.value)} />}
        </Field>
      </div>
      <footer className="form__actions">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="contact-submit" disabled={saving}>
          {saving ? "Saving…" : c ? "Save changes" : "Create contact"}
        </button>
      </footer>
    </form>
  );
}
