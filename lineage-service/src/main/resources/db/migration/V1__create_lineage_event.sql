-- Raw OpenLineage events as received, one row per distinct event (de-duplicated by content hash,
-- and by the outbox event id when a Hotpass service delivered it).
create table lineage_event (
    id           uuid primary key,
    tenant_id    text        not null,
    event_kind   text        not null check (event_kind in ('RunEvent', 'DatasetEvent', 'JobEvent')),
    event_type   text,
    event_time   timestamptz not null,
    run_id       uuid,
    job_namespace text,
    job_name     text,
    producer     text        not null,
    content_hash text        not null,
    payload      jsonb       not null,
    received_at  timestamptz not null default now(),
    constraint lineage_event_unique unique (tenant_id, content_hash)
);
create index lineage_event_tenant_time on lineage_event (tenant_id, received_at, id);
create index lineage_event_run on lineage_event (tenant_id, run_id);

alter table lineage_event enable row level security;
alter table lineage_event force row level security;
create policy lineage_event_tenant on lineage_event
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
