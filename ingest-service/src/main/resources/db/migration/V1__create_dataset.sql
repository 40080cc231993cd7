-- Datasets: a tenant's named, versioned collection of records of one canonical profile.
create table dataset (
    id              uuid primary key,
    tenant_id       text        not null,
    name            text        not null,
    profile         text        not null,
    description     text,
    row_key         text[]      not null default '{}',
    current_version integer     not null default 0,
    created_at      timestamptz not null default now(),
    created_by      text        not null,
    updated_at      timestamptz not null default now(),
    constraint dataset_name_unique unique (tenant_id, name)
);
create index dataset_tenant_created on dataset (tenant_id, created_at, id);

alter table dataset enable row level security;
alter table dataset force row level security;
create policy dataset_tenant on dataset
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
