-- A contact's LinkedIn profile and time zone, the two fields reps asked for. Both are replicated
-- (outpost_sync::entity::crm::CONTACT) and checked there: `linkedin_url` is stored only as
-- `https://www.linkedin.com/in/<profile>`, `time_zone` only as an IANA name (`Europe/Berlin`).
-- The URL identifies the person: a GDPR erasure of the contact removes it with the row and
-- redacts it wherever else it was written.
ALTER TABLE contacts ADD COLUMN linkedin_url TEXT;
ALTER TABLE contacts ADD COLUMN time_zone TEXT;
