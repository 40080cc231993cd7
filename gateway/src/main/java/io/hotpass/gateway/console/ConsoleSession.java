package io.hotpass.gateway.console;

import io.hotpass.platform.auth.Caller;
import java.time.Instant;

/** A signed-in console user as the gateway remembers them; {@code id} is only known at creation. */
public record ConsoleSession(String id, String csrfToken, Caller caller, String authMethod, Instant createdAt,
        Instant expiresAt, String displayName) {
}
