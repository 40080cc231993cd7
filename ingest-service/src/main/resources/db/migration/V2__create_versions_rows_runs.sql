-- Versions, row-level versioned rows, quarantine and upload runs.
-- A version is immutable once committed; rows carry the range of versions they are valid in
-- (valid_from inclusive, valid_to exclusive, null = still current), so a version that changes
-- ten rows writes about ten rows.

create table dataset_version (
    tenant_id       text        not null,
    dataset_id      uuid        not null references dataset (id),
    number          integer     not null,
    parent          integer,
    content_sha256  text        not null,
    row_count       bigint      not null,
    rows_added      bigint      not null default 0,
    rows_removed    bigint      not null default 0,
    rows_changed    bigint      not null default 0,
    rows_quarantined bigint     not null default 0,
    columns         jsonb       not null default '[]',
    mapping         jsonb       not null default '[]',
    source          jsonb       not null default '{}',
    kind            text        not null,
    run_id          uuid,
    status          text        not null default 'stored',
    created_by      text        not null,
    created_at      timestamptz not null default now(),
    primary key (dataset_id, number)
);
create index dataset_version_tenant on dataset_version (tenant_id, dataset_id, number);
create index dataset_version_content on dataset_version (tenant_id, dataset_id, content_sha256);

alter table dataset_version enable row level security;
alter table dataset_version force row level security;
create policy dataset_version_tenant on dataset_version
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

create table dataset_row (
    tenant_id   text    not null,
    dataset_id  uuid    not null,
    row_id      text    not null,
    valid_from  integer not null,
    valid_to    integer,
    row_hash    text    not null,
    data        jsonb   not null
);
-- Reads of a version walk (dataset, row_id) in order; current rows are found by the partial index.
create index dataset_row_version on dataset_row (tenant_id, dataset_id, row_id, valid_from);
create unique index dataset_row_current on dataset_row (tenant_id, dataset_id, row_id) where valid_to is null;

alter table dataset_row enable row level security;
alter table dataset_row force row level security;
create policy dataset_row_tenant on dataset_row
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

create table quarantine_row (
    tenant_id   text    not null,
    dataset_id  uuid    not null,
    version     integer not null,
    line        bigint  not null,
    field       text,
    raw_value   text,
    reason      text    not null,
    raw_row     jsonb
);
create index quarantine_row_version on quarantine_row (tenant_id, dataset_id, version, line);

alter table quarantine_row enable row level security;
alter table quarantine_row force row level security;
create policy quarantine_row_tenant on quarantine_row
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

create table upload_run (
    id               uuid primary key,
    tenant_id        text        not null,
    dataset_id       uuid        not null references dataset (id),
    state            text        not null,
    mode             text        not null,
    format           text        not null,
    file_name        text,
    bytes_read       bigint      not null default 0,
    rows_read        bigint      not null default 0,
    rows_stored      bigint      not null default 0,
    rows_quarantined bigint      not null default 0,
    version          integer,
    error_code       text,
    error_detail     text,
    created_by       text        not null,
    started_at       timestamptz not null default now(),
    heartbeat_at     timestamptz not null default now(),
    finished_at      timestamptz
);
create index upload_run_tenant on upload_run (tenant_id, dataset_id, started_at);
create index upload_run_active on upload_run (heartbeat_at) where finished_at is null;

alter table upload_run enable row level security;
alter table upload_run force row level security;
create policy upload_run_tenant on upload_run
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- Start-up recovery works across tenants: a run whose process died (no heartbeat for the given
-- interval) is failed cleanly. Its rows were never committed (a version is one transaction), so
-- failing the run is all there is to do. Security definer: runs as the owner, past RLS, and does
-- only this one update.
create function fail_stale_upload_runs(stale interval) returns table (run_id uuid, run_tenant text)
    language sql security definer set search_path = public as $$
    update upload_run set state = 'failed', error_code = 'interrupted',
           error_detail = 'The service stopped while the upload ran; nothing of it was stored. Upload the file again.',
           finished_at = now()
     where finished_at is null and heartbeat_at < now() - stale
    returning id, tenant_id
$$;
revoke all on function fail_stale_upload_runs(interval) from public;
grant execute on function fail_stale_upload_runs(interval) to ${app_role};
