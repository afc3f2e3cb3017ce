-- Uploaded models and data sets. Their bytes live in the blob store under blob_key.
CREATE TABLE model (
    id          UUID PRIMARY KEY,
    owner       VARCHAR(100)  NOT NULL,
    name        VARCHAR(255)  NOT NULL,
    format      VARCHAR(20)   NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    blob_key    VARCHAR(200)  NOT NULL,
    summary     VARCHAR       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX model_by_owner ON model (owner, created_at);

CREATE TABLE dataset (
    id          UUID PRIMARY KEY,
    owner       VARCHAR(100)  NOT NULL,
    name        VARCHAR(255)  NOT NULL,
    kind        VARCHAR(30)   NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    sha256      VARCHAR(64)   NOT NULL,
    blob_key    VARCHAR(200)  NOT NULL,
    summary     VARCHAR       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX dataset_by_owner ON dataset (owner, created_at);

-- The database blob store (for clusters without a shared volume): content in 4 MiB chunks.
CREATE TABLE blob_chunk (
    blob_key  VARCHAR(200) NOT NULL,
    seq       INTEGER      NOT NULL,
    data      BYTEA        NOT NULL,
    PRIMARY KEY (blob_key, seq)
);
