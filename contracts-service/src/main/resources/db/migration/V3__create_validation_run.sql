-- One validation of one dataset version against the dataset's active contract.
create table validation_run (
    id               uuid primary key,
    tenant_id        text        not null,
    dataset_id       uuid        not null,
    dataset_name     text        not null,
    dataset_version  integer     not null,
    contract_id      uuid        not null references contract_version (id),
    contract_name    text        not null,
    contract_version text        not null,
    status           text        not null check (status in ('running', 'passed', 'warned', 'failed', 'error')),
    row_count        bigint,
    duration_ms      bigint,
    result           jsonb,
    error            text,
    idem_key         text,
    started_at       timestamptz not null default now(),
    finished_at      timestamptz,
    created_by       text        not null
);
create index validation_run_dataset on validation_run (tenant_id, dataset_id, started_at, id);
create index validation_run_version on validation_run (tenant_id, dataset_id, dataset_version, started_at desc);
create unique index validation_run_idem on validation_run (tenant_id, idem_key) where idem_key is not null;

alter table validation_run enable row level security;
alter table validation_run force row level security;
create policy validation_run_tenant on validation_run
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
