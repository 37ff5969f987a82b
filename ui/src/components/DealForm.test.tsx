import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiContext, BannerProvider } from "../context";
import { memoryApi } from "../test/memoryApi";
import { DealForm, parseAmount } from "./DealForm";

describe("parseAmount", () => {
  it("accepts plain and grouped numbers, flags junk", () => {
    expect(parseAmount("")).toBeUndefined();
    expect(parseAmount("12000")).toBe(12000);
    expect(parseAmount("12,000.50")).toBe(12000.5);
    expect(parseAmount(" 7 500 ")).toBe(7500);
    expect(parseAmount("-5")).toBe(-5);
    expect(parseAmount("12k")).toBeNaN();
    expect(parseAmount("1.2.3")).toBeNaN();
  });
});

describe("DealForm contact picker", () => {
  it("finds a contact as you type and links the deal to the chosen one", async () => {
    const api = memoryApi();
    const alice = await api.addContact({ first_name: "Alice", last_name: "Archer", company: "Acme" });
    await api.addContact({ first_name: "Bob", last_name: "Baker" });
    const onSaved = vi.fn();
    render(
      <ApiContext.Provider value={api}>
        <BannerProvider>
          <DealForm stages={["Lead", "Won"]} onSaved={onSaved} onCancel={() => {}} />
        </BannerProvider>
      </ApiContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Acme deal" } });
    const picker = screen.getByRole("combobox", { name: "Contact" });
    fireEvent.focus(picker);
    fireEvent.change(picker, { target: { value: "arch" } });
    const option = await screen.findByRole("option", { name: /Alice Archer/ });
    expect(within(screen.getByRole("listbox")).getAllByRole("option")).toHaveLength(1);
    expect(api.calls).toContainEqual(["listContacts", { search: "arch", limit: 8 }]);

    fireEvent.keyDown(picker, { key: "Enter" });
    expect(option.isConnected).toBe(false);
    expect(screen.getByText("Alice Archer")).toBeTruthy();

    fireEvent.click(screen.getByTestId("deal-submit"));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(api.calls.find(([m]) => m === "addDeal")?.[1]).toEqual({ title: "Acme deal", stage: "Lead", contact_id: alice.id });
    expect(onSaved.mock.calls[0]![0]).toMatchObject({ contact_name: "Alice Archer" });
  });

  it("rejects a non-numeric value before calling the backend", () => {
    const api = memoryApi();
    render(
      <ApiContext.Provider value={api}>
        <DealForm stages={["Lead"]} onSaved={() => {}} onCancel={() => {}} />
      </ApiContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "X" } });
    fireEvent.change(screen.getByLabelText("Value"), { target: { value: "lots" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    expect(screen.getByTestId("error-value").textContent).toBe("Value must be a number, e.g. 12000 or 12,000.50");
    expect(api.calls).toEqual([]);
  });
});
