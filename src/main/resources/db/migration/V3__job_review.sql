-- The material a person reviews while a job waits in AWAITING_SELECTION: one row per job, the
-- layer waiting for a choice and the blob holding its activation-map sheets and scores.
CREATE TABLE job_review (
    job_id      UUID PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    layer       VARCHAR(255) NOT NULL,
    blob_key    VARCHAR(200) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
