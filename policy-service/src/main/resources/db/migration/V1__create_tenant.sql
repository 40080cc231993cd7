-- Tenants are platform metadata, not tenant data: no RLS here; TenantService checks that a caller
-- reads only its own tenant unless it holds the platform-admin role.
create table tenant (
    id           text primary key,
    display_name text        not null,
    status       text        not null default 'active' check (status in ('active', 'suspended')),
    created_at   timestamptz not null default now(),
    created_by   text        not null
);
