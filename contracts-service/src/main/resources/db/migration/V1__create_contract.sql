-- Data contracts: one row per (contract name, semantic version) of a tenant.
create table contract_version (
    id          uuid primary key,
    tenant_id   text        not null,
    name        text        not null,
    version     text        not null,
    major       integer     not null,
    minor       integer     not null,
    patch       integer     not null,
    dataset     text        not null,
    owner       text,
    description text,
    state       text        not null default 'draft' check (state in ('draft', 'active', 'deprecated')),
    spec        jsonb       not null,
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    constraint contract_version_unique unique (tenant_id, name, version)
);
create index contract_version_tenant_name on contract_version (tenant_id, name, major desc, minor desc, patch desc);

alter table contract_version enable row level security;
alter table contract_version force row level security;
create policy contract_version_tenant on contract_version
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
