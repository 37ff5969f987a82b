-- The version-1 push receipts (device, client_seq): unused since protocol version 4 keys receipts by
-- (device, epoch, client_seq) with the stored bytes' digest in push_receipts_v4.
DROP TABLE push_receipts;
