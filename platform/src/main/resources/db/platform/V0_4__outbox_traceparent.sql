-- The W3C traceparent of the span that wrote an outbox event, so its delivery (the relay's span and
-- the receiver's) joins the trace of the request that caused it. Null when tracing was off.
-- Platform migrations are 0.x and may arrive after a service's own V1..: quarkus.flyway.out-of-order.
alter table outbox_event add column traceparent text;
