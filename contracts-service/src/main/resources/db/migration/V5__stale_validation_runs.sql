-- Validation runs left 'running' by a process that died or lost its database mid-run (found by
-- the chaos drill postgres-restart-during-validation). The sweeper finds them across tenants through
-- this function; it then fails each one in that tenant's own session, with its lineage FAIL event.
create function stale_validation_runs(stale interval) returns table (run_id uuid, run_tenant text)
    language sql stable security definer set search_path = public as $$
    select id, tenant_id from validation_run where status = 'running' and started_at < now() - stale
$$;
revoke all on function stale_validation_runs(interval) from public;
grant execute on function stale_validation_runs(interval) to ${app_role};
