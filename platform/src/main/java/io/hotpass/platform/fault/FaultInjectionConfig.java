package io.hotpass.platform.fault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code hotpass.fault-injection.*}: the fault-injection switch chaos drills use to make a service
 * slow or failing. Off by default and in every deployment; a drill stack turns it on with
 * {@code HOTPASS_FAULT_INJECTION_ENABLED=true}. Even then only a platform administrator sets a
 * fault, and every fault expires.
 */
@ConfigMapping(prefix = "hotpass.fault-injection")
public interface FaultInjectionConfig {

    /** Whether the switch exists at all: off, no filter is installed and {@code /admin/faults} is an unknown path (404). */
    @WithDefault("false")
    boolean enabled();

    /** The longest a fault may live ({@code ttlSeconds} above it is refused): a runner killed mid-drill leaves nothing on for long. */
    @WithDefault("PT15M")
    Duration maxTtl();

    /** The most latency one fault may add to a request. */
    @WithDefault("PT5M")
    Duration maxLatency();

    /** How many faults may be active at once. */
    @WithDefault("16")
    int maxFaults();
}
