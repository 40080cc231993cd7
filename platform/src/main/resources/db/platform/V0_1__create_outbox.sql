-- Platform tables every service shares (platform/src/main/resources/db/platform).
-- Versions 0.x sort before each service's own V1.. migrations.

-- The application role reads and writes whatever the owner creates from here on.
alter default privileges in schema public grant select, insert, update, delete on tables to ${app_role};
alter default privileges in schema public grant usage, select on sequences to ${app_role};
grant usage on schema public to ${app_role};

-- Transactional outbox: written in the same transaction as the change it describes, delivered by
-- the relay. Not tenant-scoped by RLS: the relay works for every tenant as a service.
create table outbox_event (
    id              uuid primary key,
    tenant_id       text,
    destination     text        not null,
    event_type      text        not null,
    payload         jsonb       not null,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      text
);
create index outbox_event_pending on outbox_event (next_attempt_at, created_at) where delivered_at is null;
