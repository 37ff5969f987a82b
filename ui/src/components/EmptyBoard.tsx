import { toHash } from "../router";

/** What a brand-new user sees instead of an empty board. */
export function EmptyBoard(props: { onAddDeal: () => void }) {
  return (
    <div className="empty-board" data-testid="empty-board">
      <div className="empty-board__panel">
        <h2>Your pipeline is empty</h2>
        <p>
          Deals are the opportunities you are working on. Add your first one and it appears here, in the stage it is at — then move it
          along as the conversation progresses, by dragging the card or picking its stage.
        </p>
        <p>
          Working with people rather than deals right now? Start by adding your <a href={toHash({ name: "contacts" })}>contacts</a>; you
          can link them to deals later.
        </p>
        <div className="empty-board__actions">
          <button type="button" className="button button--primary" data-testid="empty-add-deal" onClick={props.onAddDeal}>
            Add your first deal
          </button>
          <a className="button" href={toHash({ name: "contacts" })}>
            Add contacts
          </a>
        </div>
      </div>
    </div>
  );
}
