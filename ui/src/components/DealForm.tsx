import { useState } from "react";
import type { Deal } from "../bindings/Deal";
import type { DealUpdate } from "../bindings/DealUpdate";
import type { NewDeal } from "../bindings/NewDeal";
import { useApi } from "../context";
import { useSubmit, type FieldErrors } from "../hooks";
import { ContactPicker, type PickedContact } from "./ContactPicker";
import { Field, TextField } from "./Field";

const FIELDS = ["title", "value", "currency", "stage", "contact_id", "company", "expected_close", "next_step", "notes"];
const ALIASES = { company_id: "company", deal_id: "title" };

/** `"12,000.50"` → 12000.5; blank → undefined; junk → NaN. */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.replace(/[\s,_]/g, "");
  if (!cleaned) return undefined;
  return /^-?\d*\.?\d+$|^-?\d+\.$/.test(cleaned) ? Number(cleaned) : Number.NaN;
}

/** Add or edit a deal. Without `deal` it creates one in `defaultStage`. */
export function DealForm(props: {
  deal?: Deal;
  stages: readonly string[];
  defaultStage?: string;
  defaultCurrency?: string;
  defaultContact?: PickedContact;
  defaultCompany?: string;
  onSaved: (deal: Deal) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const d = props.deal;
  const initialContact = d?.contact_id ? { id: d.contact_id, name: d.contact_name ?? "Contact" } : (props.defaultContact ?? null);
  const [title, setTitle] = useState(d?.title ?? "");
  const [value, setValue] = useState(d ? String(d.value) : "");
  const [currency, setCurrency] = useState(d?.currency ?? props.defaultCurrency ?? "");
  const [stage, setStage] = useState(d?.stage ?? props.defaultStage ?? props.stages[0] ?? "");
  const [contact, setContact] = useState<PickedContact | null>(initialContact);
  const [company, setCompany] = useState(d?.company_name ?? props.defaultCompany ?? "");
  const [expectedClose, setExpectedClose] = useState(d?.expected_close ?? "");
  const [nextStep, setNextStep] = useState(d?.next_step ?? "");
  const [notes, setNotes] = useState(d?.notes ?? "");

  const validate = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (!title.trim()) errors.title = "is required";
    if (Number.isNaN(parseAmount(value))) errors.value = "must be a number, e.g. 12000 or 12,000.50";
    if (d?.contact_id && !contact) errors.contact_id = "can be changed but not removed; pick another contact";
    return errors;
  };

  const save = (): Promise<Deal> => {
    const amount = parseAmount(value);
    if (!d) {
      const req: NewDeal = { title: title.trim() };
      if (amount !== undefined) req.value = amount;
      if (currency.trim()) req.currency = currency.trim();
      if (stage) req.stage = stage;
      if (contact) req.contact_id = contact.id;
      if (company.trim()) req.company = company.trim();
      if (expectedClose) req.expected_close = expectedClose;
      if (nextStep.trim()) req.next_step = nextStep.trim();
      if (notes.trim()) req.notes = notes.trim();
      return api.addDeal(req);
    }
    const req: DealUpdate = {
      id: d.id,
      title: title.trim(),
      value: amount ?? 0,
      expected_close: expectedClose,
      next_step: nextStep.trim(),
      notes: notes.trim(),
    };
    if (currency.trim()) req.currency = currency.trim();
    if (contact && contact.id !== d.contact_id) req.contact_id = contact.id;
    if (company.trim() !== (d.company_name ?? "")) req.company = company.trim();
    return api.updateDeal(req);
  };

  const { saving, errors, onSubmit } = useSubmit({ fields: FIELDS, aliases: ALIASES, validate, save, onSaved: props.onSaved });

  return (
    <form className="form" data-testid="deal-form" noValidate onSubmit={onSubmit}>
      <div className="form__grid">
        <TextField className="span-2" label="Title" name="title" value={title} onChange={setTitle} error={errors.title} autoFocus placeholder="e.g. Acme — annual licence" />
        <TextField label="Value" name="value" value={value} onChange={setValue} error={errors.value} inputMode="decimal" placeholder="0" />
        <TextField label="Currency" name="currency" value={currency} onChange={(v) => setCurrency(v.toUpperCase())} error={errors.currency} placeholder="USD" maxLength={3} />
        {!d && (
          <Field label="Stage" name="stage" error={errors.stage}>
            {(control) => (
              <select {...control} className="input" name="stage" value={stage} onChange={(e) => setStage(e.target.value)}>
                {props.stages.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <TextField label="Expected close" name="expected_close" type="date" value={expectedClose} onChange={setExpectedClose} error={errors.expected_close} />
        <Field label="Contact" name="contact_id" error={errors.contact_id} className={d ? "" : "span-2"}>
          {(control) => <ContactPicker control={control} value={contact} onChange={setContact} />}
        </Field>
        <TextField label="Company" name="company" value={company} onChange={setCompany} error={errors.company} placeholder="Linked, or created if new" className={d ? "" : "span-2"} />
        <TextField className="span-2" label="Next step" name="next_step" value={nextStep} onChange={setNextStep} error={errors.next_step} />
        <Field className="span-2" label="Notes" name="notes" error={errors.notes}>
          {(control) => <textarea {...control} className="input" name="notes" rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
      </div>
      <footer className="form__actions">
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="deal-submit" disabled={saving}>
          {saving ? "Saving…" : d ? "Save changes" : "Create deal"}
        </button>
      </footer>
    </form>
  );
}
