-- Contract lifecycle (draft -> active -> deprecated) and the contract as its author wrote it.
alter table contract_version add column source        text;
alter table contract_version add column source_format text not null default 'json' check (source_format in ('json', 'yaml'));
alter table contract_version add column activated_at  timestamptz;
alter table contract_version add column deprecated_at timestamptz;
alter table contract_version add column updated_at    timestamptz not null default now();

-- At most one active version per contract name, and per dataset.
create unique index contract_version_one_active on contract_version (tenant_id, name) where state = 'active';
create unique index contract_version_one_active_dataset on contract_version (tenant_id, dataset) where state = 'active';
create index contract_version_tenant_dataset on contract_version (tenant_id, dataset, state);

-- Datasets explicitly allowed to publish without a contract.
create table contract_exemption (
    tenant_id  text        not null,
    dataset    text        not null,
    reason     text        not null,
    created_at timestamptz not null default now(),
    created_by text        not null,
    primary key (tenant_id, dataset)
);
alter table contract_exemption enable row level security;
alter table contract_exemption force row level security;
create policy contract_exemption_tenant on contract_exemption
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
