-- What an API key may read besides its own tenant's traffic: 'tenant' (only its tenant) or
-- 'manager' (other tenants' numbers too, e.g. the MCP server's cross-tenant reports).
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'tenant' CHECK (scope IN ('tenant', 'manager'));
