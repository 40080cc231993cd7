-- Column profiles of each validated dataset version, and drift alerts against a baseline.
create table dataset_profile (
    run_id          uuid primary key references validation_run (id),
    tenant_id       text        not null,
    dataset_id      uuid        not null,
    dataset_version integer     not null,
    row_count       bigint      not null,
    columns         jsonb       not null,
    created_at      timestamptz not null default now()
);
create index dataset_profile_version on dataset_profile (tenant_id, dataset_id, dataset_version, created_at desc);
alter table dataset_profile enable row level security;
alter table dataset_profile force row level security;
create policy dataset_profile_tenant on dataset_profile
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

create table drift_alert (
    id               uuid primary key,
    tenant_id        text             not null,
    dataset_id       uuid             not null,
    dataset_name     text             not null,
    dataset_version  integer          not null,
    baseline_version integer          not null,
    column_name      text             not null,
    kind             text             not null check (kind in ('psi', 'quantile_shift')),
    value            double precision not null,
    threshold        double precision not null,
    run_id           uuid             not null references validation_run (id),
    created_at       timestamptz      not null default now()
);
create index drift_alert_tenant on drift_alert (tenant_id, created_at, id);
alter table drift_alert enable row level security;
alter table drift_alert force row level security;
create policy drift_alert_tenant on drift_alert
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));
