-- The normalised lineage model, written in the same transaction as the raw event (V1).
-- Jobs and datasets draw their ids from one sequence, so a graph node is one bigint and the edge
-- table needs no node-kind column: the graph queries walk lineage_edge alone.
create sequence lineage_node_id_seq;

create table lineage_namespace (
    tenant_id   text        not null,
    name        text        not null,
    owner_name  text        not null default 'anonymous',
    description text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    primary key (tenant_id, name)
);

create table lineage_job (
    id              bigint      primary key default nextval('lineage_node_id_seq'),
    tenant_id       text        not null,
    namespace       text        not null,
    name            text        not null,
    type            text        not null default 'BATCH',
    description     text,
    location        text,
    facets          jsonb       not null default '{}',
    current_version uuid,
    latest_run_id   uuid,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint lineage_job_name unique (tenant_id, namespace, name)
);
create index lineage_job_name_search on lineage_job (tenant_id, lower(name) text_pattern_ops);

-- A job version is the job's shape: its inputs, outputs and source location (as in Marquez).
create table lineage_job_version (
    tenant_id  text        not null,
    job_id     bigint      not null references lineage_job (id),
    version    uuid        not null,
    location   text,
    inputs     jsonb       not null default '[]',
    outputs    jsonb       not null default '[]',
    created_at timestamptz not null default now(),
    primary key (tenant_id, job_id, version)
);

-- state is Marquez's run state (NEW, RUNNING, COMPLETED, FAILED, ABORTED). It is the state of the
-- latest event by event time, except that a terminal state is never replaced by a non-terminal
-- one, so START arriving after COMPLETE does not reopen a run.
create table lineage_run (
    tenant_id            text        not null,
    id                   uuid        not null,
    job_id               bigint      not null references lineage_job (id),
    job_version          uuid,
    state                text        not null check (state in ('NEW', 'RUNNING', 'COMPLETED', 'FAILED', 'ABORTED')),
    state_event_time     timestamptz not null,
    terminal             boolean     not null default false,
    started_at           timestamptz,
    ended_at             timestamptz,
    nominal_start_time   timestamptz,
    nominal_end_time     timestamptz,
    parent_run_id        uuid,
    parent_job_namespace text,
    parent_job_name      text,
    producer             text,
    facets               jsonb       not null default '{}',
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    primary key (tenant_id, id)
);
create index lineage_run_job on lineage_run (tenant_id, job_id, created_at desc);

create table lineage_dataset (
    id               bigint      primary key default nextval('lineage_node_id_seq'),
    tenant_id        text        not null,
    namespace        text        not null,
    name             text        not null,
    type             text        not null default 'DB_TABLE',
    description      text,
    fields           jsonb       not null default '[]',
    facets           jsonb       not null default '{}',
    current_version  uuid,
    last_modified_at timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint lineage_dataset_name unique (tenant_id, namespace, name)
);
create index lineage_dataset_name_search on lineage_dataset (tenant_id, lower(name) text_pattern_ops);

-- One version per (dataset, run that wrote it); version_label is the producer's own version
-- (the datasetVersion of the OpenLineage "version" facet), e.g. a Hotpass dataset version number.
create table lineage_dataset_version (
    tenant_id       text        not null,
    id              uuid        not null,
    dataset_id      bigint      not null references lineage_dataset (id),
    version_label   text,
    run_id          uuid,
    fields          jsonb       not null default '[]',
    facets          jsonb       not null default '{}',
    lifecycle_state text,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, id)
);
create index lineage_dataset_version_dataset on lineage_dataset_version (tenant_id, dataset_id, created_at desc);
create index lineage_dataset_version_label on lineage_dataset_version (tenant_id, dataset_id, version_label);

-- A run's inputs (direction 'I') and outputs ('O') with the dataset versions it read and wrote.
create table lineage_run_io (
    tenant_id       text   not null,
    run_id          uuid   not null,
    direction       char(1) not null check (direction in ('I', 'O')),
    dataset_id      bigint not null references lineage_dataset (id),
    dataset_version uuid,
    facets          jsonb  not null default '{}',
    primary key (tenant_id, run_id, direction, dataset_id)
);
create index lineage_run_io_dataset on lineage_run_io (tenant_id, dataset_id, direction);

-- Job-level lineage graph: dataset -> job (input) and job -> dataset (output). Both directions
-- are indexed so upstream and downstream walks are index-only lookups.
create table lineage_edge (
    tenant_id text   not null,
    src       bigint not null,
    dst       bigint not null,
    primary key (tenant_id, src, dst)
);
create index lineage_edge_reverse on lineage_edge (tenant_id, dst, src);

-- Column lineage from the columnLineage facet: output field <- input field.
create table lineage_column_edge (
    tenant_id                  text   not null,
    dataset_id                 bigint not null references lineage_dataset (id),
    field                      text   not null,
    input_dataset_id           bigint not null references lineage_dataset (id),
    input_field                text   not null,
    transformation_description text,
    transformation_type        text,
    primary key (tenant_id, dataset_id, field, input_dataset_id, input_field)
);
create index lineage_column_edge_input on lineage_column_edge (tenant_id, input_dataset_id, input_field);

alter table lineage_namespace enable row level security;
alter table lineage_namespace force row level security;
create policy lineage_namespace_tenant on lineage_namespace
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_job enable row level security;
alter table lineage_job force row level security;
create policy lineage_job_tenant on lineage_job
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_job_version enable row level security;
alter table lineage_job_version force row level security;
create policy lineage_job_version_tenant on lineage_job_version
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_run enable row level security;
alter table lineage_run force row level security;
create policy lineage_run_tenant on lineage_run
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_dataset enable row level security;
alter table lineage_dataset force row level security;
create policy lineage_dataset_tenant on lineage_dataset
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_dataset_version enable row level security;
alter table lineage_dataset_version force row level security;
create policy lineage_dataset_version_tenant on lineage_dataset_version
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_run_io enable row level security;
alter table lineage_run_io force row level security;
create policy lineage_run_io_tenant on lineage_run_io
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_edge enable row level security;
alter table lineage_edge force row level security;
create policy lineage_edge_tenant on lineage_edge
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
alter table lineage_column_edge enable row level security;
alter table lineage_column_edge force row level security;
create policy lineage_column_edge_tenant on lineage_column_edge
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
