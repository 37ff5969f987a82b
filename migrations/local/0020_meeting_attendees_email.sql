-- A contact's upcoming meetings count the attendees not linked to any contact whose email is
-- theirs (a meeting written before the contact existed here; `scores::gather::UPCOMING_MEETINGS`).
-- Without an index on the email that half of the count read every unlinked attendee for each
-- contact scored.
CREATE INDEX meeting_attendees_email ON meeting_attendees (email);
