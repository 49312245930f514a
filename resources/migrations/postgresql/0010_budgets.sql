-- A tenant's monthly budget in micro-dollars; NULL: none. Managers read it, admins set it.
ALTER TABLE tenants ADD COLUMN monthly_budget_micros BIGINT;
