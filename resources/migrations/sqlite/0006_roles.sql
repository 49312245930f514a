-- Roles and row-level security are PostgreSQL features (see the PostgreSQL migration 0006);
-- an SQLite file is guarded by file permissions. Kept so both stores share version numbers.
CREATE TABLE role_tenants (
    role_name   TEXT NOT NULL,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    PRIMARY KEY (role_name, tenant_id)
);
