-- GDPR erasure: an erased document keeps only this flag (plus kind, owner and visibility, which
-- hold no personal data); all its updates are deleted and one empty marker update remains.
ALTER TABLE docs ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;
