-- The semantic tier's vectors: one per entry version and embedder model (one space per model,
-- never compared across models). The vector is the embedding of the version's canonical request
-- text, as little-endian float32 in base64; text_sha256 is the hash of the text embedded, so a
-- change of what is embedded is seen and the text embedded again. Only approved versions are
-- indexed by nodes; rows of other versions are kept for when they are approved again or pruned.
CREATE TABLE entry_vectors (
    entry_id    BIGINT NOT NULL REFERENCES entries(id),
    version     INTEGER NOT NULL,
    model       TEXT NOT NULL,
    dims        INTEGER NOT NULL,
    text_sha256 TEXT NOT NULL,
    vector      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (entry_id, version, model)
);
CREATE INDEX entry_vectors_model ON entry_vectors (model);

-- Nodes embed approved entries and keep the vectors; reviewers and managers never need them.
GRANT SELECT, INSERT, UPDATE, DELETE ON entry_vectors TO l0_node;
GRANT ALL ON entry_vectors TO l0_admin;
