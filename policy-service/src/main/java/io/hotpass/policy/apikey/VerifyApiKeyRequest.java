package io.hotpass.policy.apikey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /api-keys/verify}. */
public record VerifyApiKeyRequest(
        @Schema(examples = "hp_k3x9w2m4p7q1_Vb8TqL2mZr5Xw0YcN4dHs7Jk1PfG6aRe") String key) {

    @Override
    public String toString() {
        return "VerifyApiKeyRequest[key=***]";
    }
}
