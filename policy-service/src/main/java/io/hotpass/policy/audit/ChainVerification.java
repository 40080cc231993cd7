package io.hotpass.policy.audit;

/**
 * The result of recomputing a tenant's chain: how many entries were checked from which starting
 * point, and, when it is broken, the first entry whose link does not hold and why.
 */
public record ChainVerification(boolean valid, long entriesChecked, Long startsAfterSeq, Long firstBrokenSeq,
        String reason, String headHash) {
}
