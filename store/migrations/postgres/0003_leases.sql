-- Shard leases (the Kinesis Client Library's lease table, kept in the store): which worker
-- reads which shard until when. The shard's checkpoint stays in `checkpoints` (same key), so
-- it commits in the transaction of the batch it covers; a lease only says who may read.
CREATE TABLE leases (
    lease_key  TEXT   PRIMARY KEY,
    owner      TEXT,
    -- Wall clock, epoch ms: the owner must renew before this instant or lose the lease.
    expires_at BIGINT NOT NULL,
    -- Bumped on every change of owner: a worker that lost a lease sees the change.
    counter    BIGINT NOT NULL
);
