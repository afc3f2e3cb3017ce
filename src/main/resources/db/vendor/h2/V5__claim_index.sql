-- H2 has no partial indexes: the claim's order behind the state.
DROP INDEX job_claim_order;
CREATE INDEX job_claimable ON job (state, owner, priority DESC, run_at, id);
