-- Asynchronous validation runs (POST /validations with "mode": "async"; ADR 0020,
-- docs/operations/runners.md). The run row is created 'queued'; its execution is one row here,
-- claimed by a dispatcher with FOR UPDATE SKIP LOCKED in the tenant's session, held by a lease its
-- runner renews and fenced by the attempt number, so a runner that lost its lease writes nothing
-- more. Expired leases are claimed again up to max-attempts, then the run is 'error'
-- (run_interrupted). No credentials here: runs use the service API key from configuration with
-- the tenant on the row. Synchronous validations never have a row here.
alter table validation_run drop constraint validation_run_status_check;
alter table validation_run add constraint validation_run_status_check
    check (status in ('queued', 'running', 'passed', 'warned', 'failed', 'error'));
-- Progress of a run while it reads the version's rows (async runs report it as they go).
alter table validation_run add column rows_read bigint;
-- A machine-readable code for runs that ended in error without a result (runner_failed, ...).
alter table validation_run add column error_code text;

create table validation_run_queue (
    run_id           uuid primary key references validation_run (id) on delete cascade,
    tenant_id        text        not null,
    state            text        not null default 'queued' check (state in ('queued', 'running', 'done')),
    attempts         integer     not null default 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    claimed_at       timestamptz,
    -- The Kubernetes Job of the current attempt (kubernetes launcher only).
    runner_job       text,
    queued_at        timestamptz not null default now(),
    finished_at      timestamptz
);
create index validation_run_queue_pending on validation_run_queue (queued_at) where state <> 'done';
alter table validation_run_queue enable row level security;
alter table validation_run_queue force row level security;
create policy validation_run_queue_tenant on validation_run_queue
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- The dispatcher works for every tenant: these functions name the candidates across tenants; it
-- then claims each one (FOR UPDATE SKIP LOCKED) in that tenant's own session.
create function validation_runs_claimable(max_runs integer) returns table (run_id uuid, run_tenant text)
    language sql stable security definer set search_path = public as $$
    select q.run_id, q.tenant_id from validation_run_queue q
     where q.state = 'queued' or (q.state = 'running' and q.lease_expires_at < now())
     order by q.queued_at limit max_runs
$$;
revoke all on function validation_runs_claimable(integer) from public;
grant execute on function validation_runs_claimable(integer) to ${app_role};

create function validation_runs_active() returns table (run_id uuid, run_tenant text, run_attempts integer,
        run_job text, run_claimed_at timestamptz, run_lease_expires_at timestamptz)
    language sql stable security definer set search_path = public as $$
    select q.run_id, q.tenant_id, q.attempts, q.runner_job, q.claimed_at, q.lease_expires_at
      from validation_run_queue q where q.state = 'running'
$$;
revoke all on function validation_runs_active() from public;
grant execute on function validation_runs_active() to ${app_role};

-- A runner started as `--run <runId>` (a Kubernetes Job) knows the run, not its tenant.
create function validation_run_queue_tenant(queued_run uuid) returns text
    language sql stable security definer set search_path = public as $$
    select q.tenant_id from validation_run_queue q where q.run_id = queued_run
$$;
revoke all on function validation_run_queue_tenant(uuid) from public;
grant execute on function validation_run_queue_tenant(uuid) to ${app_role};

-- The stale-run sweeper closes synchronous runs whose request died; queued runs are the queue's
-- (their leases expire and they are claimed again, or failed after max-attempts), so it leaves them.
create or replace function stale_validation_runs(stale interval) returns table (run_id uuid, run_tenant text)
    language sql stable security definer set search_path = public as $$
    select r.id, r.tenant_id from validation_run r
     where r.status = 'running' and r.started_at < now() - stale
       and not exists (select 1 from validation_run_queue q where q.run_id = r.id)
$$;
