-- Receivers record each event id they have applied, so an outbox retry takes effect once.
create table inbox_event (
    event_id    uuid primary key,
    source      text,
    received_at timestamptz not null default now()
);
