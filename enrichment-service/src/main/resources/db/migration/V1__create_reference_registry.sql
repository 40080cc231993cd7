-- Reference registries: tenant datasets marked as authoritative sources for enrichment
-- (e.g. an official register of organisations), matched by the listed keys.
create table reference_registry (
    id          uuid primary key,
    tenant_id   text        not null,
    name        text        not null,
    dataset_id  uuid        not null,
    match_on    text[]      not null,
    reliability numeric(3, 2) not null default 0.90 check (reliability > 0 and reliability <= 1),
    created_at  timestamptz not null default now(),
    created_by  text        not null,
    constraint reference_registry_name_unique unique (tenant_id, name)
);
alter table reference_registry enable row level security;
alter table reference_registry force row level security;
create policy reference_registry_tenant on reference_registry
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
