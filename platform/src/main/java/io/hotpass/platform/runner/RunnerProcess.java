package io.hotpass.platform.runner;

import java.util.Optional;
import java.util.UUID;

/** Facts about this process as a runner: the lease owner it writes, and its {@code --run <id>} argument. */
public final class RunnerProcess {

    private RunnerProcess() {
    }

    /** This process as a lease owner: the pod (or host) name and the process id. */
    public static String owner() {
        String host = System.getenv().getOrDefault("HOSTNAME", "local");
        return host + "/" + ProcessHandle.current().pid();
    }

    /**
     * The run named by {@code --run <id>} in the process arguments; empty when there is none.
     *
     * @throws IllegalArgumentException when {@code --run} has no id or the id is not a UUID
     */
    public static Optional<UUID> runArgument(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--run")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--run needs a run id");
                }
                try {
                    return Optional.of(UUID.fromString(args[i + 1]));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--run: '" + args[i + 1] + "' is not a run id");
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the process was started as a one-run runner ({@code --run} among its arguments). */
    public static boolean isRunner(String... args) {
        return args != null && java.util.Arrays.asList(args).contains("--run");
    }
}
