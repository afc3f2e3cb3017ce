-- A job names its model and data set by foreign key, so neither can be deleted while a job refers
-- to it: the delete and a job created at the same time are serialised by the database, whatever
-- their transactions see. Jobs of models or data sets deleted before this constraint existed keep
-- their row with the reference cleared.
ALTER TABLE job ALTER COLUMN model_id DROP NOT NULL;
ALTER TABLE job ALTER COLUMN dataset_id DROP NOT NULL;
UPDATE job SET model_id = NULL WHERE model_id NOT IN (SELECT id FROM model);
UPDATE job SET dataset_id = NULL WHERE dataset_id NOT IN (SELECT id FROM dataset);
ALTER TABLE job ADD CONSTRAINT job_model FOREIGN KEY (model_id) REFERENCES model (id);
ALTER TABLE job ADD CONSTRAINT job_dataset FOREIGN KEY (dataset_id) REFERENCES dataset (id);
CREATE INDEX job_by_model ON job (model_id);
CREATE INDEX job_by_dataset ON job (dataset_id);

-- Rescues (a worker died or was cut off while holding the job) are counted apart from attempts
-- (a run that failed): dying workers do not use up a job's attempts.
ALTER TABLE job ADD COLUMN rescues INTEGER NOT NULL DEFAULT 0;

-- When retention removed a finished job's result, checkpoint and events.
ALTER TABLE job ADD COLUMN expired_at TIMESTAMP WITH TIME ZONE;

-- The database blob store writes a blob chunk by chunk, each in its own short transaction; a blob
-- is readable once its row says it is complete. Blobs stored before are complete.
CREATE TABLE blob (
    blob_key    VARCHAR(200) PRIMARY KEY,
    complete    BOOLEAN      NOT NULL,
    size_bytes  BIGINT,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO blob (blob_key, complete, size_bytes, created_at, updated_at)
    SELECT blob_key, TRUE, SUM(OCTET_LENGTH(data)), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
    FROM blob_chunk GROUP BY blob_key;
