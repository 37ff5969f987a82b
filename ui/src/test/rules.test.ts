// The UI test double refuses what the core refuses: every example generated from the Rust rules
// (ui/src/gen/rules.ts, from outpost_core::crm::request_rules) is run against the double here and
// against the real core API by `cargo test -p outpost-core --lib request_rules`, on the same
// otherwise-valid requests, so neither side can drift from the other.
import { describe, expect, it } from "vitest";
import { EXAMPLES, RULES, type Example } from "../gen/rules";
import { memoryApi, type MemoryApi } from "./memoryApi";

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

async function fixture(api: MemoryApi) {
  const contact = await api.addContact({ first_name: "Ada", last_name: "Lovelace" });
  const company = await api.addCompany({ name: "Engines Ltd", domain: null, industry: null, location: null, size: null });
  const deal = await api.addDeal({ title: "Renewal" });
  return { contact: contact.id, company: company.id, deal: deal.id };
}

/** The same otherwise-valid request as the core's test builds (request_rules_tests.rs). */
function request(example: Example, n: number, ids: Awaited<ReturnType<typeof fixture>>): Record<string, unknown> {
  const base: Record<string, Record<string, unknown>> = {
    add_contact: { first_name: "Grace", last_name: `Hopper ${n}` },
    update_contact: { id: ids.contact, first_name: "Ada", last_name: "Lovelace" },
    add_company: { name: `Company ${n}`, domain: null, industry: null, location: null, size: null },
    update_company: { id: ids.company, name: null, domain: null, industry: null, location: null, size: null },
    add_deal: { title: `Deal ${n}` },
    update_deal: { id: ids.deal },
    add_task: { title: `Task ${n}` },
    log_activity: { kind: "note", subject: `Call ${n}`, contact_id: ids.contact },
  };
  const req = base[example.command];
  if (!req) throw new Error(`no request for ${example.command}: add it here and in request_rules_tests.rs`);
  const value = example.repeat ? example.repeat[0].repeat(example.repeat[1]) : example.value;
  return { ...req, [example.field]: value };
}

describe("the test double's validation, generated from the Rust rules", () => {
  it("has examples for every rule, refused and accepted", () => {
    expect(EXAMPLES.length).toBeGreaterThan(100);
    for (const [command, rules] of Object.entries(RULES)) {
      for (const rule of rules ?? []) {
        const of = (refused: boolean) => EXAMPLES.some((e) => e.command === command && e.field === rule.field && (e.message !== null) === refused);
        expect([command, rule.field, of(true), of(false)]).toEqual([command, rule.field, true, true]);
      }
    }
  });

  it("refuses exactly what the core refuses, naming the field, and changes nothing", async () => {
    const failures: string[] = [];
    // A double of its own for each command, as the core's test has a database for each.
    let api = memoryApi("2026-11-24T10:00:00.000Z");
    let ids = await fixture(api);
    let command = EXAMPLES[0]?.command;
    const stored = () => JSON.stringify([api.contacts, api.companies, api.deals, api.tasks, api.activities]);
    for (const [n, example] of EXAMPLES.entries()) {
      if (example.command !== command) {
        api = memoryApi("2026-11-24T10:00:00.000Z");
        ids = await fixture(api);
        command = example.command;
      }
      const method = (api as unknown as Record<string, (req: unknown) => Promise<unknown>>)[camelCase(example.command)]!;
      const before = stored();
      const label = `${example.command} ${example.field} = ${JSON.stringify(example.repeat ?? example.value)}`;
      try {
        await method(request(example, n, ids));
        if (example.message !== null) failures.push(`${label}: accepted, the core refuses it (${example.message})`);
      } catch (e) {
        const err = e as { kind?: string; field?: string; message?: string };
        if (example.message === null) failures.push(`${label}: refused (${err.message}), the core accepts it`);
        else if (err.kind !== "invalid" || err.field !== example.field || !err.message?.includes(example.message))
          failures.push(`${label}: refused as ${JSON.stringify(err)}, expected field ${example.field} and "${example.message}"`);
        else if (stored() !== before) failures.push(`${label}: refused but changed the double's records`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("refuses an updated e-mail the way it refuses a new one (updateContact used to accept any '@')", async () => {
    const api = memoryApi();
    const { contact } = await fixture(api);
    await expect(api.updateContact({ id: contact, email: "ada@engines" })).rejects.toMatchObject({ kind: "invalid", field: "email" });
    await expect(api.addContact({ email: "ada@engines" })).rejects.toMatchObject({ kind: "invalid", field: "email" });
  });
});
