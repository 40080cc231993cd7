-- Asynchronous uploads (POST /datasets/{id}/uploads?async=true; ADR 0020, docs/operations/runners.md).
-- The request body is staged here in chunks, in the one transaction that also records the run
-- ('queued') and queues it, so nothing is ever half-staged. A dispatcher claims the run with
-- FOR UPDATE SKIP LOCKED in the tenant's session, taking a lease and a new attempt number; its
-- runner (in-process, or a Kubernetes Job running this image with --run <runId>) parses the staged
-- file exactly as a synchronous upload parses a request body, and makes the version in one
-- transaction that also closes the queue row (only while its attempt still holds it) and deletes
-- the staged chunks: a runner that lost its lease writes nothing, so a run never makes two
-- versions. Expired leases are claimed again up to max-attempts, then the run is failed
-- (run_interrupted). No credentials here: the run keeps its tenant and the subject who uploaded.

-- Bytes of the upload as known when it started (Content-Length, or the staged size): its ETA.
alter table upload_run add column total_bytes bigint;

create table upload_run_queue (
    run_id           uuid primary key references upload_run (id) on delete cascade,
    tenant_id        text        not null,
    state            text        not null default 'queued' check (state in ('queued', 'running', 'done')),
    attempts         integer     not null default 0,
    lease_owner      text,
    lease_expires_at timestamptz,
    claimed_at       timestamptz,
    -- The Kubernetes Job of the current attempt (kubernetes launcher only).
    runner_job       text,
    -- What the request asked (mode, format, delimiter, encoding, mapping, file name, If-Match, sheet)
    -- and who asked: the runner parses with exactly these options.
    options          jsonb       not null,
    subject          text        not null,
    staged_bytes     bigint      not null,
    queued_at        timestamptz not null default now(),
    finished_at      timestamptz
);
create index upload_run_queue_pending on upload_run_queue (queued_at) where state <> 'done';
alter table upload_run_queue enable row level security;
alter table upload_run_queue force row level security;
create policy upload_run_queue_tenant on upload_run_queue
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- The staged request body, in order. Deleted when the run ends (stored or failed).
create table upload_staged_chunk (
    run_id    uuid    not null references upload_run (id) on delete cascade,
    seq       integer not null,
    tenant_id text    not null,
    bytes     bytea   not null,
    primary key (run_id, seq)
);
alter table upload_staged_chunk enable row level security;
alter table upload_staged_chunk force row level security;
create policy upload_staged_chunk_tenant on upload_staged_chunk
    using (tenant_id = current_setting('hotpass.tenant_id', true))
    with check (tenant_id = current_setting('hotpass.tenant_id', true));

-- The dispatcher works for every tenant: these functions name the candidates across tenants; it
-- then claims each one (FOR UPDATE SKIP LOCKED) in that tenant's own session.
create function upload_runs_claimable(max_runs integer) returns table (run_id uuid, run_tenant text)
    language sql stable security definer set search_path = public as $$
    select q.run_id, q.tenant_id from upload_run_queue q
     where q.state = 'queued' or (q.state = 'running' and q.lease_expires_at < now())
     order by q.queued_at limit max_runs
$$;
revoke all on function upload_runs_claimable(integer) from public;
grant execute on function upload_runs_claimable(integer) to ${app_role};

create function upload_runs_active() returns table (run_id uuid, run_tenant text, run_attempts integer,
        run_job text, run_claimed_at timestamptz, run_lease_expires_at timestamptz)
    language sql stable security definer set search_path = public as $$
    select q.run_id, q.tenant_id, q.attempts, q.runner_job, q.claimed_at, q.lease_expires_at
      from upload_run_queue q where q.state = 'running'
$$;
revoke all on function upload_runs_active() from public;
grant execute on function upload_runs_active() to ${app_role};

-- A runner started as `--run <runId>` (a Kubernetes Job) knows the run, not its tenant.
create function upload_run_queue_tenant(queued_run uuid) returns text
    language sql stable security definer set search_path = public as $$
    select q.tenant_id from upload_run_queue q where q.run_id = queued_run
$$;
revoke all on function upload_run_queue_tenant(uuid) from public;
grant execute on function upload_run_queue_tenant(uuid) to ${app_role};

-- The stale-run sweeper fails synchronous runs whose request died; queued runs are the queue's
-- (their leases expire and they are claimed again, or failed after max-attempts), so it leaves them.
create or replace function fail_stale_upload_runs(stale interval) returns table (run_id uuid, run_tenant text)
    language sql security definer set search_path = public as $$
    update upload_run set state = 'failed', error_code = 'interrupted',
           error_detail = 'The service stopped while the upload ran; nothing of it was stored. Upload the file again.',
           finished_at = now()
     where finished_at is null and heartbeat_at < now() - stale
       and not exists (select 1 from upload_run_queue q where q.run_id = upload_run.id)
    returning id, tenant_id
$$;
