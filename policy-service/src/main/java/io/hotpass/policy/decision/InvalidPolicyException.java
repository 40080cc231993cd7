package io.hotpass.policy.decision;

/** A set of rules that must not become a policy version; the message names the first problem. */
public class InvalidPolicyException extends Exception {
    public InvalidPolicyException(String message) {
        super(message);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
