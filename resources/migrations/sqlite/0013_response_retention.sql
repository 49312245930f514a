-- How long the node keeps a tenant's Responses API responses for previous_response_id and
-- GET /v1/responses/{id}, in milliseconds: NULL for the node's default, 0 to keep none.
ALTER TABLE tenants ADD COLUMN response_retention_ms INTEGER;
