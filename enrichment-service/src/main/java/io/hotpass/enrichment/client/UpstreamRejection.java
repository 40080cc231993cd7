package io.hotpass.enrichment.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotpass.platform.problem.ProblemException;

/**
 * A 4xx from a service enrichment calls (through the gateway) is about the request, not an outage:
 * it passes through to enrichment's caller with the service's own code and detail, named as that
 * service's ({@code upstream}), instead of becoming a 502/503. Used by {@link IngestClient} and
 * {@link ContractsClient}.
 */
final class UpstreamRejection {

    private UpstreamRejection() {
    }

    /**
     * @param problem the service's problem+json, or null when it sent none (then {@code fallbackCode})
     * @param context appended to the detail, e.g. which call of enrichment's was refused; may be empty
     */
    static ProblemException of(String service, int status, JsonNode problem, String fallbackCode, String context) {
        String code = fallbackCode;
        String detail = service + " answered " + status;
        if (problem != null && problem.hasNonNull("code")) {
            code = problem.get("code").asText();
            detail = service + ": " + problem.path("detail").asText(problem.path("title").asText(code));
        }
        ProblemException p = new ProblemException(status, code, "Rejected by " + service, detail + context)
                .with("upstream", service);
        if (status == 429) {
            p.header("Retry-After", "5");
        }
        return p;
    }
}
