-- The claim takes, per owner, the highest priority first and then the oldest due job: a partial
-- index on the claimable jobs only, in that order, replaces the index over every state.
DROP INDEX job_claim_order;
CREATE INDEX job_claimable ON job (owner, priority DESC, run_at, id)
    WHERE state IN ('QUEUED', 'RETRY_WAIT');
CREATE INDEX job_running_by_owner ON job (owner) WHERE state = 'RUNNING';

-- Every event wakes whoever listens (idle workers, open event streams) at its commit, so nobody
-- has to poll. The payload is '<job id> <event type>'.
CREATE FUNCTION job_event_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('cnn_job_events', NEW.job_id::text || ' ' || NEW.type);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER job_event_notify AFTER INSERT ON job_event
    FOR EACH ROW EXECUTE FUNCTION job_event_notify();
