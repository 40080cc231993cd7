-- Durable run queue (docs/operations/runners.md, ADR 0014). A plan's computation is one row here:
-- queued when the plan is created, claimed by a dispatcher with FOR UPDATE SKIP LOCKED, held by a
-- lease its runner renews, fenced by the attempt number so a runner that lost its lease can write
-- nothing more. Found by the chaos drills: a plan whose process or database died mid-run stayed
-- 'running' for ever; now its lease expires and it is re-queued (starting over) or failed.
-- No credentials here: runs use the service API key from configuration; the tenant is on the row.
create table plan_run (
    plan_id          uuid primary key references enrichment_plan (id) on delete cascade,
    tenant_id        text        not null,
    -- What a run needs beyond the plan row: registries (name, dataset, match keys, reliability), website.
    spec             jsonb       not null,
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
create index plan_run_pending on plan_run (queued_at) where state <> 'done';
alter table plan_run enable row level security;
alter table plan_run force row level security;
create policy plan_run_tenant on plan_run
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- The dispatcher works for every tenant: these functions name the candidates across tenants; it
-- then claims each one (FOR UPDATE SKIP LOCKED) in that tenant's own session.
create function plan_runs_claimable(max_runs integer) returns table (run_plan_id uuid, run_tenant text)
    language sql stable security definer set search_path = public as $$
    select plan_id, tenant_id from plan_run
     where state = 'queued' or (state = 'running' and lease_expires_at < now())
     order by queued_at limit max_runs
$$;
revoke all on function plan_runs_claimable(integer) from public;
grant execute on function plan_runs_claimable(integer) to ${app_role};

create function plan_runs_active() returns table (run_plan_id uuid, run_tenant text, run_attempts integer,
        run_job text, run_claimed_at timestamptz, run_lease_expires_at timestamptz)
    language sql stable security definer set search_path = public as $$
    select plan_id, tenant_id, attempts, runner_job, claimed_at, lease_expires_at from plan_run where state = 'running'
$$;
revoke all on function plan_runs_active() from public;
grant execute on function plan_runs_active() to ${app_role};

-- Plans created before the queue existed and never finished have nothing to resume from: fail them.
update enrichment_plan set status = 'failed', error_code = 'run_interrupted',
       error_detail = 'the service stopped while the plan was computed; create the plan again', updated_at = now()
 where status = 'running';

-- A runner started as `--run <planId>` (a Kubernetes Job) knows the plan, not its tenant.
create function plan_run_tenant(run_plan uuid) returns text
    language sql stable security definer set search_path = public as $$
    select tenant_id from plan_run where plan_id = run_plan
$$;
revoke all on function plan_run_tenant(uuid) from public;
grant execute on function plan_run_tenant(uuid) to ${app_role};
